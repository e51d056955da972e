import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyDatum } from './chart-data.js';
import { ChartFrame } from './chart-frame.js';
import { formatStat } from './format-metric.js';
import { useChartTheme } from './use-chart-theme.js';

const ROW_HEIGHT = 34;

interface LatencyChartProps {
  data: LatencyDatum[];
  title: string;
  caption?: string;
  testId: string;
}

/** p50, p95 and p99 request latency per route, one row of bars per route. */
export function LatencyChart({ data, title, caption, testId }: LatencyChartProps) {
  const chart = useChartTheme();
  return (
    <ChartFrame title={title} caption={caption} height={Math.max(160, data.length * ROW_HEIGHT + 70)} testId={testId}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }} barGap={1} barCategoryGap="22%">
        <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={chart.axisTick} stroke={chart.grid} tickFormatter={(v: number) => `${formatStat(v)} ms`} />
        <YAxis type="category" dataKey="route" tick={{ ...chart.axisTick, fontSize: 11 }} stroke={chart.grid} width={260} />
        <Tooltip {...chart.tooltip} formatter={(value) => (typeof value === 'number' ? `${formatStat(value)} ms` : String(value))} />
        <Legend wrapperStyle={chart.legend} />
        <Bar dataKey="p50" name="p50" fill={chart.p50} />
        <Bar dataKey="p95" name="p95" fill={chart.p95} />
        <Bar dataKey="p99" name="p99" fill={chart.p99} />
      </BarChart>
    </ChartFrame>
  );
}
