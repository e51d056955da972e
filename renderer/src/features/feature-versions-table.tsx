import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import CompareArrows from '@mui/icons-material/CompareArrows';
import { useTranslation } from 'react-i18next';
import type { VersionRecord } from '@shared/domain/schemas.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';

interface FeatureVersionsTableProps {
  versions: readonly VersionRecord[];
  onCompare: (from: number, to: number) => void;
}

const ACTION_COLORS = { create: 'success', update: 'primary', archive: 'default', restore: 'secondary', deprecate: 'warning' } as const;

export function FeatureVersionsTable({ versions, onCompare }: FeatureVersionsTableProps) {
  const { t } = useTranslation('features');
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  return (
    <TableContainer>
      <Table size="small" aria-label={t('versions.label')} data-testid="versions-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('versions.version')}</TableCell>
            <TableCell>{t('versions.time')}</TableCell>
            <TableCell>{t('versions.author')}</TableCell>
            <TableCell>{t('versions.action')}</TableCell>
            <TableCell>{t('versions.summary')}</TableCell>
            <TableCell align="right" />
          </TableRow>
        </TableHead>
        <TableBody>
          {newestFirst.map((v) => (
            <TableRow key={v.version} data-testid="version-row" data-version={v.version}>
              <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>v{v.version}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatTime(v.created_at)}</TableCell>
              <TableCell>{v.author}</TableCell>
              <TableCell>
                <Chip size="small" variant="outlined" label={t(`versions.actions.${v.action}`)} color={ACTION_COLORS[v.action]} />
              </TableCell>
              <TableCell data-testid="version-summary">{v.summary}</TableCell>
              <TableCell align="right">
                {v.version > 1 && (
                  <Button size="small" startIcon={<CompareArrows />} onClick={() => onCompare(v.version - 1, v.version)}>
                    {t('versions.compareWith', { version: v.version - 1 })}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
