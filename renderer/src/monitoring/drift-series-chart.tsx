import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesDatum } from './chart-data.js';
import { ChartFrame } from './chart-frame.js';
import { formatScore } from './format-metric.js';
import { useChartTheme } from './use-chart-theme.js';
import { dateTimeFormat } from '../i18n/locale-format.js';

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
  const step = stepHours === 24 ? 'day' : `${stepHours / 24} days`;
  return (
    <ChartFrame
      title="PSI over time"
      caption={`Each ${step} of the current window against the baseline; gaps are windows without values.`}
      height={240}
      testId="drift-series-chart"
    >
      <LineChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: -8 }}>
        <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatDay} tick={chart.axisTick} stroke={chart.grid} minTickGap={16} />
        <YAxis tick={chart.axisTick} stroke={chart.grid} tickFormatter={(v: number) => formatScore(v).replace(/0+$/, '').replace(/\.$/, '')} width={48} />
        <Tooltip
          {...chart.tooltip}
          labelFormatter={formatDay}
          formatter={(value, _name, item) => {
            const datum: SeriesDatum | undefined = item.payload; // recharts types a point's data as any
            return [`${formatScore(typeof value === 'number' ? value : null)} (${datum?.count ?? 0} values)`, 'PSI'];
          }}
        />
        <ReferenceLine
          y={threshold}
          stroke={chart.threshold}
          strokeDasharray="6 4"
          ifOverflow="extendDomain"
          label={{ value: `threshold ${threshold}`, position: 'insideTopRight', fill: chart.threshold, fontSize: 12 }}
        />
        <Line type="monotone" dataKey="psi" name="PSI" stroke={chart.current} strokeWidth={2} dot={{ r: 3, fill: chart.current }} activeDot={{ r: 5 }} connectNulls={false} />
      </LineChart>
    </ChartFrame>
  );
}
