import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import FilterListOff from '@mui/icons-material/FilterListOff';
import HistoryEduOutlined from '@mui/icons-material/HistoryEduOutlined';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatCount } from '../common/format-number.js';
import { LoadingState } from '../common/loading-state.js';
import { PageHeader } from '../common/page-header.js';
import { useAsync } from '../common/use-async.js';
import { AUDIT_PAGE_SIZE, hasAuditFilters, mayHaveMoreEvents, toAuditQuery } from './audit-filters.js';
import { AuditFiltersBar } from './audit-filters-bar.js';
import { AuditTable } from './audit-table.js';
import { useAuditFilters } from './use-audit-filters.js';

/** `/audit`: every change and operation the service recorded, filterable by kind, object and actor. */
export function AuditPage() {
  const { client } = useClient();
  const { t } = useTranslation('audit');
  const { filters, setFilters } = useAuditFilters();
  const { kind, name, actor, limit } = filters;
  const events = useAsync(useCallback(() => client.audit(toAuditQuery({ kind, name, actor, limit })), [client, kind, name, actor, limit]));
  const isFiltered = hasAuditFilters(filters);

  let body: ReactNode;
  if (events.error !== undefined) {
    body = (
      <Box sx={{ p: 2 }}>
        <ErrorAlert error={events.error} onRetry={events.reload} />
      </Box>
    );
  } else if (events.data === undefined) {
    body = <LoadingState label={t('loading')} />;
  } else if (events.data.length === 0) {
    body = isFiltered ? (
      <EmptyState icon={<FilterListOff />} title={t('noMatch.title')} testId="audit-empty">
        <Typography variant="body2">{t('noMatch.body')}</Typography>
        <Button variant="outlined" onClick={() => setFilters({ kind: '', name: '', actor: '' })}>
          {t('clearFilters')}
        </Button>
      </EmptyState>
    ) : (
      <EmptyState icon={<HistoryEduOutlined />} title={t('empty.title')} testId="audit-empty">
        <Typography variant="body2">{t('empty.body')}</Typography>
      </EmptyState>
    );
  } else {
    const hasMore = mayHaveMoreEvents(events.data.length, filters);
    body = (
      <>
        <AuditTable events={events.data} onFilterActor={(next) => setFilters({ actor: next })} />
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, px: 2, py: 1.5, borderTop: 1, borderColor: 'divider' }}>
          <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1 }} data-testid="audit-count">
            {hasMore
              ? t('newest', { n: formatCount(events.data.length) })
              : t(isFiltered ? 'wholeFiltered' : 'whole', { count: events.data.length, n: formatCount(events.data.length) })}
          </Typography>
          {hasMore && (
            <Button variant="outlined" onClick={() => setFilters({ limit: limit + AUDIT_PAGE_SIZE })} disabled={events.isLoading} data-testid="audit-load-more">
              {events.isLoading ? t('loadingMore') : t('loadMore', { count: AUDIT_PAGE_SIZE })}
            </Button>
          )}
        </Box>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <AuditFiltersBar filters={filters} onChange={setFilters} />
        <Divider />
        <Box sx={{ height: 2 }}>{events.isLoading && events.data && <LinearProgress sx={{ height: 2 }} />}</Box>
        {body}
      </Paper>
    </>
  );
}
