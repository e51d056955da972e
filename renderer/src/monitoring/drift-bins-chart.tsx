import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
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
  return (
    <ChartFrame
      title={kind === 'numeric' ? 'Distribution per baseline decile' : 'Distribution per category'}
      caption={
        kind === 'numeric'
          ? 'Each bin holds a tenth of the baseline; where the current bars differ, the values moved.'
          : 'Share of each value in both windows; rare values are folded into "other".'
      }
      height={240}
      testId="drift-bins-chart"
    >
      <BarChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: -8 }} barCategoryGap="18%" barGap={2}>
        <CartesianGrid stroke={chart.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={chart.axisTick} stroke={chart.grid} interval="preserveStartEnd" minTickGap={8} />
        <YAxis tick={chart.axisTick} stroke={chart.grid} unit=" %" width={56} />
        <Tooltip {...chart.tooltip} formatter={(value) => (typeof value === 'number' ? `${value} %` : String(value))} />
        <Legend wrapperStyle={chart.legend} />
        <Bar dataKey="baseline" name="Baseline" fill={chart.baseline} radius={[3, 3, 0, 0]} />
        <Bar dataKey="current" name="Current" fill={chart.current} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ChartFrame>
  );
}
