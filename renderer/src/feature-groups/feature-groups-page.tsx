import { useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
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
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import CategoryOutlined from '@mui/icons-material/CategoryOutlined';
import { Trans, useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { formatTtl } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { StatusChip } from '../common/status-chip.js';
import { TagChips } from '../common/tag-chips.js';
import { useAsync } from '../common/use-async.js';

export function FeatureGroupsPage() {
  const { t } = useTranslation('registry');
  const { client } = useClient();
  const groups = useAsync(useCallback(() => client.featureGroups.list(), [client]));

  return (
    <RegistryListPage
      title={t('groups.title')}
      subtitle={t('groups.subtitle')}
      state={groups}
      loadingLabel={t('groups.loading')}
      empty={
        <EmptyState icon={<CategoryOutlined />} title={t('groups.emptyTitle')} testId="feature-groups-empty">
          <Typography variant="body2">
            <Trans t={t} i18nKey="groups.emptyBody" components={{ code: <Box component="code" sx={{ whiteSpace: 'nowrap' }} /> }} />
          </Typography>
          <Button variant="contained" component={RouterLink} to="/ingest">
            {t('groups.ingest')}
          </Button>
        </EmptyState>
      }
      renderTable={(rows) => (
        <TableContainer>
          <Table size="small" aria-label={t('groups.label')} data-testid="feature-groups-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('groups.name')}</TableCell>
                <TableCell>{t('groups.entity')}</TableCell>
                <TableCell>{t('groups.description')}</TableCell>
                <TableCell>{t('groups.tags')}</TableCell>
                <TableCell>{t('groups.ttl')}</TableCell>
                <TableCell>{t('groups.online')}</TableCell>
                <TableCell align="right">{t('groups.features')}</TableCell>
                <TableCell align="right">{t('groups.version')}</TableCell>
                <TableCell>{t('groups.status')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((g) => (
                <TableRow key={g.name} data-testid="feature-group-row" data-group-name={g.name} sx={{ '& td': { py: 1.25 } }}>
                  <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>
                    <Link component={RouterLink} to={`/features?entity=${encodeURIComponent(g.entity)}`} color="inherit" underline="hover">
                      {g.name}
                    </Link>
                  </TableCell>
                  <TableCell sx={MONO_SX}>{g.entity}</TableCell>
                  <TableCell sx={{ color: g.description ? 'text.primary' : 'text.disabled' }}>{g.description || '—'}</TableCell>
                  <TableCell>
                    <TagChips tags={g.tags} />
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatTtl(g.ttl_seconds)}</TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      label={g.online ? t('groups.online') : t('groups.offlineOnly')}
                      color={g.online ? 'primary' : 'default'}
                      variant="outlined"
                    />
                  </TableCell>
                  <TableCell align="right" sx={MONO_SX}>
                    <Tooltip title={g.features.join(', ') || t('groups.noFeatures')}>
                      <span>{g.features.length}</span>
                    </Tooltip>
                  </TableCell>
                  <TableCell align="right" sx={MONO_SX}>
                    v{g.version}
                  </TableCell>
                  <TableCell>
                    <StatusChip status={g.status} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    />
  );
}
