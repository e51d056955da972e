import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { FeatureDrift } from '@shared/api/monitoring.js';
import { formatCount } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';
import { DriftStatusChip } from './drift-status-chip.js';
import { formatPValue, formatScore, formatStat } from './format-metric.js';

interface DriftTableProps {
  features: readonly FeatureDrift[];
  selected: string;
  onSelect: (feature: string) => void;
}

const NUM_SX = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** One row per feature with its drift scores; a row opens the feature's charts. */
export function DriftTable({ features, selected, onSelect }: DriftTableProps) {
  const { t } = useTranslation('monitoring');
  const onKey = (e: KeyboardEvent, feature: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(feature);
    }
  };
  return (
    <TableContainer>
      <Table size="small" aria-label={t('drift.table.label')} data-testid="drift-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('drift.table.feature')}</TableCell>
            <TableCell align="right">{t('drift.table.values')}</TableCell>
            <TableCell align="right">
              <Tooltip title={t('drift.table.psiHelp')}>
                <span>PSI</span>
              </Tooltip>
            </TableCell>
            <TableCell align="right">
              <Tooltip title={t('drift.table.ksHelp')}>
                <span>{t('drift.table.ks')}</span>
              </Tooltip>
            </TableCell>
            <TableCell align="right">
              <Tooltip title={t('drift.table.jsHelp')}>
                <span>JS</span>
              </Tooltip>
            </TableCell>
            <TableCell align="right">{t('drift.table.threshold')}</TableCell>
            <TableCell>{t('drift.table.status')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {features.map((f) => (
            <TableRow
              key={f.feature}
              hover
              selected={f.feature === selected}
              aria-selected={f.feature === selected}
              tabIndex={0}
              onClick={() => onSelect(f.feature)}
              onKeyDown={(e) => onKey(e, f.feature)}
              data-testid="drift-row"
              data-feature={f.feature}
              data-drifted={String(f.drifted)}
              data-psi={f.psi ?? ''}
              sx={{ cursor: 'pointer' }}
            >
              <TableCell>
                <Box sx={{ ...MONO_SX, fontWeight: 600 }}>{f.feature}</Box>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {t(`drift.kinds.${f.kind}`)}
                  {f.note ? ` · ${f.note}` : ''}
                </Typography>
              </TableCell>
              <TableCell align="right" sx={NUM_SX}>
                {formatCount(f.baseline_count)} / {formatCount(f.current_count)}
              </TableCell>
              <TableCell align="right" sx={{ ...NUM_SX, fontWeight: 600, color: f.drifted ? 'error.main' : 'text.primary' }} data-testid="drift-psi">
                {formatScore(f.psi)}
              </TableCell>
              <TableCell align="right" sx={NUM_SX}>
                {f.ks === null ? '—' : `${formatScore(f.ks)} (${formatPValue(f.ks_p_value)})`}
              </TableCell>
              <TableCell align="right" sx={NUM_SX}>
                {formatScore(f.js)}
              </TableCell>
              <TableCell align="right" sx={{ ...NUM_SX, color: 'text.secondary' }}>
                {formatStat(f.threshold)}
              </TableCell>
              <TableCell>
                <DriftStatusChip drift={f} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
