import { useCallback, useMemo } from 'react';
import { Link as RouterLink, useLocation } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import AddIcon from '@mui/icons-material/Add';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { PageHeader } from '../common/page-header.js';
import { useAsync } from '../common/use-async.js';
import { FeatureFiltersBar } from './feature-filters-bar.js';
import { FeaturesEmptyState } from './features-empty-state.js';
import { FeaturesTable } from './features-table.js';
import { toListQuery, useFeatureFilters } from './use-feature-filters.js';

export function FeaturesPage() {
  const { client } = useClient();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const { filters, setFilters, clearFilters, hasFilters } = useFeatureFilters();

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
        title="Features"
        subtitle="Every feature registered in this store, with its type, entity and current version."
        actions={
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            component={RouterLink}
            to="/features/new"
            data-testid="new-feature-button"
          >
            New feature
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
        <Box sx={{ height: 2 }}>{features.isLoading && features.data && <LinearProgress sx={{ height: 2 }} />}</Box>
        {features.error !== undefined ? (
          <Box sx={{ p: 2 }}>
            <ErrorAlert error={features.error} onRetry={features.reload} />
          </Box>
        ) : features.data === undefined ? (
          <LoadingState label="Loading features…" />
        ) : features.data.length === 0 ? (
          <FeaturesEmptyState hasFilters={hasFilters} onClear={clearFilters} />
        ) : (
          <FeaturesTable features={features.data} />
        )}
      </Paper>
    </>
  );
}
