import { useCallback } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import TransformOutlined from '@mui/icons-material/TransformOutlined';
import type { Transform } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { StatusChip } from '../common/status-chip.js';
import { useAsync } from '../common/use-async.js';
import { LANGUAGE_LABELS } from './studio/starter-code.js';

export function TransformsPage() {
  const { t } = useTranslation('transforms');
  const { client } = useClient();
  const transforms = useAsync(useCallback(() => client.transforms.list(), [client]));
  const newButton = (
    <Button variant="contained" startIcon={<AddIcon />} component={RouterLink} to="/transforms/new" data-testid="new-transform">
      {t('list.new')}
    </Button>
  );
  return (
    <RegistryListPage
      title={t('list.title')}
      subtitle={t('list.subtitle')}
      state={transforms}
      loadingLabel={t('list.loading')}
      actions={newButton}
      empty={
        <EmptyState icon={<TransformOutlined />} title={t('list.emptyTitle')} testId="transforms-empty">
          <Typography variant="body2">{t('list.emptyText')}</Typography>
          <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', justifyContent: 'center' }}>
            {newButton}
            <Button component={RouterLink} to="/data-sources">
              {t('list.dataSources')}
            </Button>
          </Box>
        </EmptyState>
      }
      renderTable={(rows) => <TransformsTable transforms={rows} />}
    />
  );
}

function TransformsTable({ transforms }: { transforms: readonly Transform[] }) {
  const { t: tr } = useTranslation('transforms');
  const navigate = useNavigate();
  return (
    <TableContainer>
      <Table size="small" aria-label={tr('table.label')} data-testid="transforms-table">
        <TableHead>
          <TableRow>
            <TableCell>{tr('table.name')}</TableCell>
            <TableCell>{tr('table.language')}</TableCell>
            <TableCell>{tr('table.sources')}</TableCell>
            <TableCell>{tr('table.entity')}</TableCell>
            <TableCell>{tr('table.featureGroup')}</TableCell>
            <TableCell align="right">{tr('table.features')}</TableCell>
            <TableCell align="right">{tr('table.version')}</TableCell>
            <TableCell>{tr('table.updated')}</TableCell>
            <TableCell>{tr('table.status')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {transforms.map((t) => {
            const href = `/transforms/${encodeURIComponent(t.name)}`;
            return (
              <TableRow key={t.name} hover data-testid="transform-row" data-transform={t.name} onClick={() => navigate(href)} sx={{ cursor: 'pointer', '& td': { py: 1.25 } }}>
                <TableCell>
                  <Link component={RouterLink} to={href} underline="hover" onClick={(e) => e.stopPropagation()} sx={{ ...MONO_SX, fontWeight: 600 }}>
                    {t.name}
                  </Link>
                  {t.description && (
                    <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary', maxWidth: 320 }}>
                      {t.description}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" label={LANGUAGE_LABELS[t.language]} />
                  {t.on_demand && <Chip size="small" label={tr('table.onDemand')} sx={{ ml: 0.5 }} />}
                </TableCell>
                <TableCell sx={MONO_SX}>{t.sources.join(', ')}</TableCell>
                <TableCell sx={MONO_SX}>{t.entity}</TableCell>
                <TableCell sx={MONO_SX}>{t.feature_group}</TableCell>
                <TableCell align="right">{t.features.length}</TableCell>
                <TableCell align="right" sx={MONO_SX}>
                  v{t.version}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatTime(t.updated_at)}</TableCell>
                <TableCell>
                  <StatusChip status={t.status} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
