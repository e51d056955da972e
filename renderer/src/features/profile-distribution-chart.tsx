import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import type { FeatureProfile } from '@shared/api/profile.js';
import { formatCount } from '../common/format-number.js';
import { ChartFrame } from '../monitoring/chart-frame.js';
import { formatReportValue, formatStat } from '../monitoring/format-metric.js';
import { useChartTheme } from '../monitoring/use-chart-theme.js';

const HEIGHT = 240;

/** A histogram of numbers on round bins, or the most frequent values of anything else. */
export function ProfileDistributionChart({ profile }: { profile: FeatureProfile }) {
  const { t } = useTranslation('features');
  const chart = useChartTheme();
  const countTick = (v: number) => formatCount(v);
  if (profile.kind === 'numeric') {
    const data = profile.histogram.map((b) => ({ label: formatStat(b.lower), range: t('chart.range', { lower: formatStat(b.lower), upper: formatStat(b.upper) }), count: b.count }));
    return (
      <ChartFrame title={t('chart.distribution')} caption={t('chart.distributionCaption', { values: formatCount(profile.count), bins: data.length, width: formatStat((profile.histogram[0]?.upper ?? 0) - (profile.histogram[0]?.lower ?? 0)) })} height={HEIGHT} testId="profile-histogram">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }} barCategoryGap={1}>
          <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={chart.axisTick} stroke={chart.grid} interval="preserveStartEnd" minTickGap={12} />
          <YAxis tick={chart.axisTick} stroke={chart.grid} width={48} allowDecimals={false} tickFormatter={countTick} />
          <Tooltip {...chart.tooltip} labelFormatter={(_l, items) => String((items[0]?.payload as { range?: string } | undefined)?.range ?? '')} formatter={(v) => [formatCount(Number(v)), t('chart.values')]} />
          <Bar dataKey="count" name={t('chart.values')} fill={chart.current} radius={[2, 2, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ChartFrame>
    );
  }
  const data = profile.top.map((t) => ({ label: formatReportValue(t.value), count: t.count }));
  const shown = data.reduce((n, d) => n + d.count, 0);
  return (
    <ChartFrame
      title={t('chart.topTitle')}
      caption={t('chart.topCaption', { shown: data.length, distinct: formatCount(profile.distinct), covered: formatCount(shown), total: formatCount(profile.count) })}
      height={Math.max(120, 28 * data.length + 32)}
      testId="profile-top-values"
    >
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 0 }} barCategoryGap={4}>
        <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={chart.axisTick} stroke={chart.grid} allowDecimals={false} tickFormatter={countTick} />
        <YAxis type="category" dataKey="label" tick={chart.axisTick} stroke={chart.grid} width={110} interval={0} />
        <Tooltip {...chart.tooltip} formatter={(v) => [formatCount(Number(v)), t('chart.values')]} />
        <Bar dataKey="count" name={t('chart.values')} fill={chart.current} radius={[0, 2, 2, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
