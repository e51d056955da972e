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
import HubOutlined from '@mui/icons-material/HubOutlined';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { StatusChip } from '../common/status-chip.js';
import { TagChips } from '../common/tag-chips.js';
import { useAsync } from '../common/use-async.js';

/** How many feature names a row shows before "+N more". */
const FEATURES_SHOWN = 4;

export function FeatureServicesPage() {
  const { t } = useTranslation('registry');
  const { client } = useClient();
  const navigate = useNavigate();
  const services = useAsync(useCallback(() => client.featureServices.list(), [client]));

  return (
    <RegistryListPage
      title={t('services.title')}
      subtitle={t('services.subtitle')}
      state={services}
      loadingLabel={t('services.loading')}
      actions={
        <Button variant="outlined" startIcon={<HubOutlined />} component={RouterLink} to="/features" data-testid="build-service-button">
          {t('services.build')}
        </Button>
      }
      empty={
        <EmptyState icon={<HubOutlined />} title={t('services.emptyTitle')} testId="feature-services-empty">
          <Typography variant="body2">
            {t('services.emptyBody')}
          </Typography>
          <Button variant="contained" component={RouterLink} to="/features">
            {t('services.goToFeatures')}
          </Button>
        </EmptyState>
      }
      renderTable={(rows) => (
        <TableContainer>
          <Table size="small" aria-label={t('services.label')} data-testid="feature-services-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('services.name')}</TableCell>
                <TableCell>{t('services.entity')}</TableCell>
                <TableCell>{t('services.features')}</TableCell>
                <TableCell>{t('services.tags')}</TableCell>
                <TableCell align="right">{t('services.version')}</TableCell>
                <TableCell>{t('services.status')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((s) => {
                const href = `/feature-services/${encodeURIComponent(s.name)}`;
                return (
                  <TableRow
                    key={s.name}
                    hover
                    onClick={() => navigate(href)}
                    data-testid="feature-service-row"
                    data-service-name={s.name}
                    sx={{ cursor: 'pointer', '& td': { py: 1.25 } }}
                  >
                    <TableCell>
                      <Link component={RouterLink} to={href} underline="hover" onClick={(e) => e.stopPropagation()} sx={{ ...MONO_SX, fontWeight: 600 }}>
                        {s.name}
                      </Link>
                      {s.description && (
                        <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary', maxWidth: 280 }}>
                          {s.description}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell sx={MONO_SX}>{s.entity}</TableCell>
                    <TableCell>
                      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, maxWidth: 420 }}>
                        {s.features.slice(0, FEATURES_SHOWN).map((f) => (
                          <Chip key={f} label={f} size="small" variant="outlined" sx={MONO_SX} />
                        ))}
                        {s.features.length > FEATURES_SHOWN && <Chip label={t('services.more', { n: s.features.length - FEATURES_SHOWN })} size="small" />}
                      </Box>
                    </TableCell>
                    <TableCell>
                      <TagChips tags={s.tags} />
                    </TableCell>
                    <TableCell align="right" sx={MONO_SX}>
                      v{s.version}
                    </TableCell>
                    <TableCell>
                      <StatusChip status={s.status} />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    />
  );
}
