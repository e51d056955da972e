import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatCount } from '../common/format-number.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { freshnessRows, latencyChartData, requestsByKind } from './chart-data.js';
import { formatStat } from './format-metric.js';
import { FreshnessTable } from './freshness-table.js';
import { LatencyChart } from './latency-chart.js';

function Stat({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={testId}>
      <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        {label}
      </Typography>
      <Typography variant="h6" component="p" sx={{ fontWeight: 650, fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Typography>
      <Typography variant="caption" component="p" sx={{ color: 'text.secondary' }}>
        {hint}
      </Typography>
    </Paper>
  );
}

/** The service's own health: request latency, freshness and coverage of each group, ingestion, Kafka lag. */
export function OperationsPanel() {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const report = useAsync(useCallback(() => client.monitoring.operations(), [client]));
  const serving = useMemo(() => latencyChartData(report.data?.latency ?? [], 12, 'serving'), [report.data]);
  const api = useMemo(() => latencyChartData(report.data?.latency ?? [], 12, 'api'), [report.data]);
  const requests = useMemo(() => requestsByKind(report.data?.latency ?? []), [report.data]);
  const freshness = useMemo(() => freshnessRows(report.data?.freshness ?? []), [report.data]);

  if (report.error !== undefined) return <ErrorAlert error={report.error} onRetry={report.reload} />;
  if (!report.data) return <LoadingState label={t('operations.loading')} />;
  const { ingestion, kafka_lag: kafkaLag } = report.data;
  const staleCount = freshness.filter((g) => g.stale).length;

  return (
    <Box sx={{ display: 'grid', gap: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        <Box sx={{ flex: 1, height: 2 }}>{report.isLoading && <LinearProgress sx={{ height: 2 }} />}</Box>
        <Button size="small" startIcon={<RefreshOutlined />} onClick={report.reload} disabled={report.isLoading} data-testid="refresh-operations">
          {t('operations.refresh')}
        </Button>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 2 }}>
        <Stat label={t('operations.valuesWritten')} value={formatCount(ingestion.values_written_total)} hint={t('operations.valuesWrittenHint')} testId="stat-values-written" />
        <Stat
          label={t('operations.ingestionRate')}
          value={t('operations.perSecond', { value: formatStat(ingestion.values_per_second_1m) })}
          hint={t('operations.ingestionRateHint')}
          testId="stat-ingestion-rate" />
        <Stat
          label={t('operations.kafkaLag')}
          value={kafkaLag === null ? t('operations.notConfigured') : formatCount(kafkaLag)}
          hint={kafkaLag === null ? t('operations.kafkaOff') : t('operations.kafkaHint')}
          testId="stat-kafka-lag"
        />
        <Stat label={t('operations.staleGroups')} value={formatCount(staleCount)} hint={t('operations.staleHint')} testId="stat-stale-groups" />
      </Box>
      <SectionCard
        title={t('operations.latencyTitle')}
        subtitle={t('operations.latencySubtitle', { n: formatCount(requests.ui) })}
        testId="latency-card"
      >
        <Box sx={{ display: 'grid', gap: 3 }}>
          {serving.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="serving-latency-empty">
              {t('operations.servingEmpty')}
            </Typography>
          ) : (
            <LatencyChart data={serving} title={t('operations.servingTitle')} caption={t('operations.servingCaption')} testId="serving-latency-chart" />
          )}
          {api.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="latency-empty">
              {t('operations.apiEmpty')}
            </Typography>
          ) : (
            <LatencyChart data={api} title={t('operations.apiTitle')} caption={t('operations.apiCaption')} testId="latency-chart" />
          )}
        </Box>
      </SectionCard>
      <SectionCard title={t('operations.freshnessTitle')} subtitle={t('operations.freshnessSubtitle')} isFlush testId="freshness-card">
        {freshness.length === 0 ? (
          <Typography variant="body2" sx={{ px: 2.5, pb: 2.5, color: 'text.secondary' }} data-testid="freshness-empty">
            {t('operations.freshnessEmpty')}
          </Typography>
        ) : (
          <FreshnessTable rows={freshness} />
        )}
      </SectionCard>
    </Box>
  );
}
