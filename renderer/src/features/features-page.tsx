import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import HubOutlined from '@mui/icons-material/HubOutlined';
import { useTranslation } from 'react-i18next';
import type { Feature } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { PageHeader } from '../common/page-header.js';
import { useAsync } from '../common/use-async.js';
import { FeatureFiltersBar } from './feature-filters-bar.js';
import { FeaturesEmptyState } from './features-empty-state.js';
import { CreateServiceDialog } from '../feature-services/create-service-dialog.js';
import { FeaturesTable, type FeatureSelection } from './features-table.js';
import { toListQuery, useFeatureFilters } from './use-feature-filters.js';

export function FeaturesPage() {
  const { t } = useTranslation('features');
  const { client } = useClient();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const navigate = useNavigate();
  const { filters, setFilters, clearFilters, hasFilters } = useFeatureFilters();
  // Picked features in the order picked (a feature service's output order); kept across filters.
  const [picked, setPicked] = useState<ReadonlyMap<string, Feature>>(new Map());
  const [isCreatingService, setIsCreatingService] = useState(false);
  const selection = useMemo<FeatureSelection>(
    () => ({
      selected: new Set(picked.keys()),
      onToggle: (feature) =>
        setPicked((current) => {
          const next = new Map(current);
          if (!next.delete(feature.name)) next.set(feature.name, feature);
          return next;
        }),
      onToggleAll: (listed) =>
        setPicked((current) => {
          const next = new Map(current);
          const isAllPicked = listed.every((f) => next.has(f.name));
          for (const f of listed) {
            if (isAllPicked) next.delete(f.name);
            else next.set(f.name, f);
          }
          return next;
        }),
    }),
    [picked],
  );

  const query = useMemo(() => toListQuery(filters), [filters]);
  const features = useAsync(useCallback(() => client.features.list(query), [client, query]));
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));
  // Every tag in use, for the tag filter; independent of the current filters.
  const allFeatures = useAsync(useCallback(() => client.features.list({ include_archived: true }), [client]));

  const entityNames = useMemo(() => (entities.data ?? []).map((e) => e.name).sort(), [entities.data]);
  const tags = useMemo(
    () => [...new Set((allFeatures.data ?? []).flatMap((f) => f.tags))].sort(),
    [allFeatures.data],
  );

  return (
    <>
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle')}
        actions={
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            component={RouterLink}
            to="/features/new"
            data-testid="new-feature-button"
          >
            {t('list.newFeature')}
          </Button>
        }
      />
      {notice && (
        <Alert severity="success" sx={{ mb: 2 }} data-testid="notice">
          {notice}
        </Alert>
      )}
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <FeatureFiltersBar
          filters={filters}
          onChange={setFilters}
          onClear={clearFilters}
          hasFilters={hasFilters}
          entityNames={entityNames}
          tags={tags}
        />
        <Divider />
        {picked.size > 0 && (
          <Box
            data-testid="feature-selection-bar"
            sx={{ display: 'flex', alignItems: 'center', gap: 1.5, px: 2, py: 1, bgcolor: 'action.hover', flexWrap: 'wrap' }}
          >
            <Typography variant="body2" sx={{ fontWeight: 600, flex: 1 }}>
              {t('list.selected', { count: picked.size })}
            </Typography>
            <Button size="small" color="inherit" onClick={() => setPicked(new Map())}>
              {t('list.clear')}
            </Button>
            <Button size="small" variant="contained" startIcon={<HubOutlined />} onClick={() => setIsCreatingService(true)} data-testid="create-service-button">
              {t('list.createService')}
            </Button>
          </Box>
        )}
        <Box sx={{ height: 2 }}>{features.isLoading && features.data && <LinearProgress sx={{ height: 2 }} />}</Box>
        {features.error !== undefined ? (
          <Box sx={{ p: 2 }}>
            <ErrorAlert error={features.error} onRetry={features.reload} />
          </Box>
        ) : features.data === undefined ? (
          <LoadingState label={t('list.loading')} />
        ) : features.data.length === 0 ? (
          <FeaturesEmptyState hasFilters={hasFilters} onClear={clearFilters} />
        ) : (
          <FeaturesTable features={features.data} selection={selection} />
        )}
      </Paper>
      {isCreatingService && (
        <CreateServiceDialog
          features={[...picked.values()]}
          onClose={() => setIsCreatingService(false)}
          onCreated={(service) =>
            navigate(`/feature-services/${encodeURIComponent(service.name)}`, {
              state: { notice: t('list.serviceCreated', { name: service.name, version: service.version }) },
            })
          }
        />
      )}
    </>
  );
}
