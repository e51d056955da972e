import { useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import PeopleAltOutlined from '@mui/icons-material/PeopleAltOutlined';
import { Trans, useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { StatusChip } from '../common/status-chip.js';
import { TagChips } from '../common/tag-chips.js';
import { useAsync } from '../common/use-async.js';

export function EntitiesPage() {
  const { t } = useTranslation('registry');
  const { client } = useClient();
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));

  return (
    <RegistryListPage
      title={t('entities.title')}
      subtitle={t('entities.subtitle')}
      state={entities}
      loadingLabel={t('entities.loading')}
      empty={
        <EmptyState icon={<PeopleAltOutlined />} title={t('entities.emptyTitle')} testId="entities-empty">
          <Typography variant="body2">
            <Trans t={t} i18nKey="entities.emptyBody" values={{ key: '<entity>_id' }} components={{ code: <code /> }} />
          </Typography>
          <Button variant="contained" component={RouterLink} to="/features/new">
            {t('entities.newFeature')}
          </Button>
        </EmptyState>
      }
      renderTable={(rows) => (
        <TableContainer>
          <Table size="small" aria-label={t('entities.label')} data-testid="entities-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('entities.name')}</TableCell>
                <TableCell>{t('entities.joinKey')}</TableCell>
                <TableCell>{t('entities.description')}</TableCell>
                <TableCell>{t('entities.tags')}</TableCell>
                <TableCell align="right">{t('entities.version')}</TableCell>
                <TableCell>{t('entities.status')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((e) => (
                <TableRow key={e.name} data-testid="entity-row" data-entity-name={e.name} sx={{ '& td': { py: 1.25 } }}>
                  <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>
                    <Link component={RouterLink} to={`/features?entity=${encodeURIComponent(e.name)}`} color="inherit" underline="hover">
                      {e.name}
                    </Link>
                  </TableCell>
                  <TableCell sx={MONO_SX}>{e.join_key}</TableCell>
                  <TableCell sx={{ color: e.description ? 'text.primary' : 'text.disabled' }}>{e.description || '—'}</TableCell>
                  <TableCell>
                    <TagChips tags={e.tags} />
                  </TableCell>
                  <TableCell align="right" sx={MONO_SX}>
                    v{e.version}
                  </TableCell>
                  <TableCell>
                    <StatusChip status={e.status} />
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
