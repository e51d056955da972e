import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { numberFormat } from '../i18n/locale-format.js';
import type { BinDatum } from './chart-data.js';
import { ChartFrame } from './chart-frame.js';
import { useChartTheme } from './use-chart-theme.js';

interface DriftBinsChartProps {
  data: BinDatum[];
  kind: 'numeric' | 'categorical';
}

/** Share of values per bin (baseline deciles, or categories) in the baseline and the current window, side by side. */
export function DriftBinsChart({ data, kind }: DriftBinsChartProps) {
  const chart = useChartTheme();
  const { t } = useTranslation('monitoring');
  const percent = (value: number) => numberFormat({ maximumFractionDigits: 1 }).format(value);
  return (
    <ChartFrame
      title={kind === 'numeric' ? t('drift.bins.numericTitle') : t('drift.bins.categoricalTitle')}
      caption={kind === 'numeric' ? t('drift.bins.numericCaption') : t('drift.bins.categoricalCaption')}
      height={240}
      testId="drift-bins-chart"
    >
      <BarChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: -8 }} barCategoryGap="18%" barGap={2}>
        <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={chart.axisTick} stroke={chart.grid} interval="preserveStartEnd" minTickGap={8} />
        <YAxis tick={chart.axisTick} stroke={chart.grid} tickFormatter={(v: number) => `${percent(v)} %`} width={56} />
        <Tooltip {...chart.tooltip} formatter={(value) => (typeof value === 'number' ? `${percent(value)} %` : String(value))} />
        <Legend wrapperStyle={chart.legend} />
        <Bar dataKey="baseline" name={t('drift.bins.baseline')} fill={chart.baseline} radius={[3, 3, 0, 0]} />
        <Bar dataKey="current" name={t('drift.bins.current')} fill={chart.current} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ChartFrame>
  );
}
