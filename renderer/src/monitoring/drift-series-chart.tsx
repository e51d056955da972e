import { useTranslation } from 'react-i18next';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../common/format-number.js';
import type { SeriesDatum } from './chart-data.js';
import { ChartFrame } from './chart-frame.js';
import { formatScore } from './format-metric.js';
import { useChartTheme } from './use-chart-theme.js';
import { dateTimeFormat, numberFormat } from '../i18n/locale-format.js';

const formatDay = (day: unknown) =>
  typeof day === 'string' ? dateTimeFormat({ day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)) : String(day);

interface DriftSeriesChartProps {
  data: SeriesDatum[];
  threshold: number;
  stepHours: number;
}

/** PSI of one feature per window of the current period, against the drift threshold. */
export function DriftSeriesChart({ data, threshold, stepHours }: DriftSeriesChartProps) {
  const chart = useChartTheme();
  const { t } = useTranslation('monitoring');
  // Axis ticks: up to three decimals without trailing zeros ("0.1", "0,25").
  const tick = (v: number) => numberFormat({ maximumFractionDigits: 3, useGrouping: false }).format(v);
  return (
    <ChartFrame
      title={t('drift.series.title')}
      caption={stepHours === 24 ? t('drift.series.captionDay') : t('drift.series.captionDays', { days: formatCount(stepHours / 24) })}
      height={240}
      testId="drift-series-chart"
    >
      <LineChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: -8 }}>
        <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} tick={chart.axisTick} stroke={chart.grid} minTickGap={16} />
        <YAxis tick={chart.axisTick} stroke={chart.grid} tickFormatter={tick} width={48} />
        <Tooltip
          {...chart.tooltip}
          labelFormatter={formatDay}
          formatter={(value, _name, item) => {
            const datum: SeriesDatum | undefined = item.payload; // recharts types a point's data as any
            const count = datum?.count ?? 0;
            return [t('drift.series.values', { score: formatScore(typeof value === 'number' ? value : null), count, n: formatCount(count) }), 'PSI'];
          }}
        />
        <ReferenceLine
          y={threshold}
          stroke={chart.threshold}
          strokeDasharray="6 4"
          ifOverflow="extendDomain"
          label={{ value: t('drift.series.threshold', { value: tick(threshold) }), position: 'insideTopRight', fill: chart.threshold, fontSize: 12 }}
        />
        <Line type="monotone" dataKey="psi" name="PSI" stroke={chart.current} strokeWidth={2} dot={{ r: 3, fill: chart.current }} activeDot={{ r: 5 }} connectNulls={false} />
      </LineChart>
    </ChartFrame>
  );
}
