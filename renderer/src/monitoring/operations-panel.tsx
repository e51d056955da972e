import { useCallback, useMemo } from 'react';
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
  const report = useAsync(useCallback(() => client.monitoring.operations(), [client]));
  const serving = useMemo(() => latencyChartData(report.data?.latency ?? [], 12, 'serving'), [report.data]);
  const api = useMemo(() => latencyChartData(report.data?.latency ?? [], 12, 'api'), [report.data]);
  const requests = useMemo(() => requestsByKind(report.data?.latency ?? []), [report.data]);
  const freshness = useMemo(() => freshnessRows(report.data?.freshness ?? []), [report.data]);

  if (report.error !== undefined) return <ErrorAlert error={report.error} onRetry={report.reload} />;
  if (!report.data) return <LoadingState label="Loading operations…" />;
  const { ingestion, kafka_lag: kafkaLag } = report.data;
  const staleCount = freshness.filter((g) => g.stale).length;

  return (
    <Box sx={{ display: 'grid', gap: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        <Box sx={{ flex: 1, height: 2 }}>{report.isLoading && <LinearProgress sx={{ height: 2 }} />}</Box>
        <Button size="small" startIcon={<RefreshOutlined />} onClick={report.reload} disabled={report.isLoading} data-testid="refresh-operations">
          Refresh
        </Button>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 2 }}>
        <Stat label="Values written" value={formatCount(ingestion.values_written_total)} hint="Since monitoring began" testId="stat-values-written" />
        <Stat label="Ingestion rate" value={`${formatStat(ingestion.values_per_second_1m)} /s`} hint="Values per second, last minute" testId="stat-ingestion-rate" />
        <Stat
          label="Kafka consumer lag"
          value={kafkaLag === null ? 'Not configured' : formatCount(kafkaLag)}
          hint={kafkaLag === null ? 'Streaming ingestion from Kafka is off' : 'Messages not read yet'}
          testId="stat-kafka-lag"
        />
        <Stat label="Stale groups" value={String(staleCount)} hint="Newest value older than the TTL" testId="stat-stale-groups" />
      </Box>
      <SectionCard
        title="Request latency"
        subtitle={`Since the service started, from its latency histogram; the web UI's own pages and files (${formatCount(requests.ui)} requests) are left out`}
        testId="latency-card"
      >
        <Box sx={{ display: 'grid', gap: 3 }}>
          {serving.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="serving-latency-empty">
              No online reads yet. Serving latency (POST /api/online/features) appears here as applications read features.
            </Typography>
          ) : (
            <LatencyChart data={serving} title="Serving: online reads" caption="What applications wait for when they read features" testId="serving-latency-chart" />
          )}
          {api.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="latency-empty">
              No API requests measured yet. Latency is measured per route since the service started; it appears as clients call the API.
            </Typography>
          ) : (
            <LatencyChart data={api} title="Other API routes" caption="Registry, ingestion, monitoring and the rest of /api, the busiest first" testId="latency-chart" />
          )}
        </Box>
      </SectionCard>
      <SectionCard title="Freshness and coverage" subtitle="Per feature group, from the writes the service has seen" isFlush testId="freshness-card">
        {freshness.length === 0 ? (
          <Typography variant="body2" sx={{ px: 2.5, pb: 2.5, color: 'text.secondary' }} data-testid="freshness-empty">
            No writes seen yet. Freshness is recorded when batches, streams or transform runs write to a group; groups written before this
            version of FStore show up after their next write.
          </Typography>
        ) : (
          <FreshnessTable rows={freshness} />
        )}
      </SectionCard>
    </Box>
  );
}
