/**
 * Percentiles from a Prometheus histogram's cumulative buckets, interpolated linearly inside the
 * bucket as PromQL's histogram_quantile does (so the JSON API and Grafana agree).
 */
export interface BucketSeries {
  /** Upper bounds, ascending; the last may be +Infinity. */
  bounds: number[];
  /** Cumulative counts per bound. */
  cumulative: number[];
}

export function histogramQuantile(q: number, series: BucketSeries): number | null {
  const total = series.cumulative[series.cumulative.length - 1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  for (let i = 0; i < series.bounds.length; i++) {
    if (series.cumulative[i]! < rank) continue;
    const upper = series.bounds[i]!;
    const lower = i === 0 ? 0 : series.bounds[i - 1]!;
    if (!Number.isFinite(upper)) return lower; // in the +Inf bucket: the highest finite bound
    const below = i === 0 ? 0 : series.cumulative[i - 1]!;
    const inBucket = series.cumulative[i]! - below;
    return inBucket === 0 ? upper : lower + (upper - lower) * ((rank - below) / inBucket);
  }
  return series.bounds[series.bounds.length - 1] ?? null;
}
