import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { FeatureDrift } from '@shared/api/monitoring.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { binsChartData, driftSeriesData } from './chart-data.js';
import { CreateDriftAlert } from './create-drift-alert.js';
import { DriftBinsChart } from './drift-bins-chart.js';
import { DriftSeriesChart } from './drift-series-chart.js';
import { DriftStatusChip } from './drift-status-chip.js';
import { seriesStepHours, type DateWindow } from './time-windows.js';

interface DriftFeatureDetailProps {
  entityNames: readonly string[];
  entity: string;
  /** The page's group filter; empty: all groups. */
  featureGroup: string;
  drift: FeatureDrift;
  baseline: DateWindow;
  current: DateWindow;
}

/** One feature's drift: its PSI over the current window, and both windows' distributions. */
export function DriftFeatureDetail({ entityNames, entity, featureGroup, drift, baseline, current }: DriftFeatureDetailProps) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const stepHours = seriesStepHours(current);
  const feature = drift.feature;
  const series = useAsync(
    useCallback(
      () => client.monitoring.driftSeries({ entity, features: [feature], baseline, start: current.start, end: current.end, step_hours: stepHours }),
      [client, entity, feature, baseline, current, stepHours],
    ),
  );
  const seriesData = useMemo(() => (series.data ? driftSeriesData(series.data, feature) : undefined), [series.data, feature]);
  const bins = useMemo(() => binsChartData(drift.bins), [drift.bins]);

  return (
    <SectionCard
      title={
        <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
          <Box component="span" sx={{ ...MONO_SX, fontSize: 'inherit' }}>
            {feature}
          </Box>
          <DriftStatusChip drift={drift} />
        </Box>
      }
      subtitle={t('drift.detailSubtitle')}
      actions={<CreateDriftAlert entityNames={entityNames} entity={entity} featureGroup={featureGroup} feature={feature} baseline={baseline} current={current} />}
      testId="drift-detail"
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 3 }}>
        {series.error !== undefined ? (
          <ErrorAlert error={series.error} onRetry={series.reload} />
        ) : !seriesData ? (
          <LoadingState label={t('drift.scoring')} />
        ) : (
          <DriftSeriesChart data={seriesData} threshold={drift.threshold} stepHours={stepHours} />
        )}
        {bins.length > 0 ? (
          <DriftBinsChart data={bins} kind={drift.kind} />
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary', alignSelf: 'center', textAlign: 'center' }} data-testid="drift-bins-empty">
            {drift.note || t('drift.noBins')}
          </Typography>
        )}
      </Box>
    </SectionCard>
  );
}
