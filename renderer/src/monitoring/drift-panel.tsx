import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import type { Feature } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatDuration } from '../common/format-duration.js';
import { formatCount } from '../common/format-number.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { DriftFeatureDetail } from './drift-feature-detail.js';
import { DriftTable } from './drift-table.js';
import { emptyWindows, pickSelectedFeature, sortDriftFeatures } from './drift-view.js';
import { EmptyWindowAlert } from './empty-window-alert.js';
import { describeWindow, windowsOverlap, type DateWindow } from './time-windows.js';

interface DriftPanelProps {
  entityNames: readonly string[];
  entity: string;
  /** The page's group filter; empty: all groups. */
  group: string;
  /** The features to score (numeric and categorical, already written). */
  features: readonly Feature[];
  baseline: DateWindow;
  current: DateWindow;
  selectedFeature: string;
  onSelectFeature: (feature: string) => void;
  onUseWindows: (windows: { baseline: DateWindow; current: DateWindow }) => void;
}

/** Drift of every feature between the two windows, and the charts of the selected one. */
export function DriftPanel({ entityNames, entity, group, features, baseline, current, selectedFeature, onSelectFeature, onUseWindows }: DriftPanelProps) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const names = useMemo(() => features.map((f) => f.name), [features]);
  const report = useAsync(
    useCallback(
      () => (names.length === 0 ? Promise.resolve(undefined) : client.monitoring.drift({ entity, features: names, baseline, current })),
      [client, entity, names, baseline, current],
    ),
  );
  const sorted = useMemo(() => sortDriftFeatures(report.data?.features ?? []), [report.data]);
  const selected = pickSelectedFeature(sorted, selectedFeature);
  const empty = emptyWindows(sorted);

  if (names.length === 0) {
    return (
      <EmptyState icon={<QueryStatsOutlined />} title={t('drift.noFeaturesTitle')} testId="drift-empty">
        <Typography variant="body2">{t('drift.noFeaturesBody')}</Typography>
      </EmptyState>
    );
  }
  if (report.error !== undefined) return <ErrorAlert error={report.error} onRetry={report.reload} />;
  if (!report.data) return <LoadingState label={t('drift.comparing', { count: names.length })} />;

  const driftedCount = sorted.filter((f) => f.drifted).length;
  const shown = report.data;
  return (
    <Box sx={{ display: 'grid', gap: 3 }} data-loading={String(report.isLoading)}>
      {windowsOverlap(baseline, current) && (
        <Alert severity="warning" data-testid="windows-overlap">
          {t('drift.overlap', { date: describeWindow({ start: current.start, end: current.start }) })}
        </Alert>
      )}
      {(empty.baseline || empty.current) && (
        <EmptyWindowAlert
          entity={entity}
          features={names}
          isBaselineEmpty={empty.baseline}
          isCurrentEmpty={empty.current}
          baseline={baseline}
          current={current}
          onUseWindows={onUseWindows}
        />
      )}
      <SectionCard
        title={t('drift.title')}
        subtitle={t('drift.subtitle', {
          current: describeWindow(shown.current),
          baseline: describeWindow(shown.baseline),
          drifted: formatCount(driftedCount),
          total: formatCount(sorted.length),
          elapsed: formatDuration(shown.elapsed_ms),
        })}
        isFlush
        testId="drift-card"
      >
        <Box sx={{ height: 2 }}>{report.isLoading && <LinearProgress sx={{ height: 2 }} />}</Box>
        <DriftTable features={sorted} selected={selected?.feature ?? ''} onSelect={onSelectFeature} />
      </SectionCard>
      {selected && !empty.baseline && !empty.current && <DriftFeatureDetail key={selected.feature} entityNames={entityNames} entity={entity} featureGroup={group} drift={selected} baseline={baseline} current={current} />}
    </Box>
  );
}
