/** Report data reshaped for the charts and tables: pure, so the shaping is tested without a browser. */
import type { DriftSeriesPoint } from '@shared/api/client.js';
import type { HistogramBin, OperationsReport, RouteKind } from '@shared/api/monitoring.js';
import { binLabels } from './bin-labels.js';

export interface SeriesDatum {
  /** UTC day the window starts, `YYYY-MM-DD`. */
  day: string;
  /** null where the window has no values: the line breaks there rather than inventing a score. */
  psi: number | null;
  count: number;
  drifted: boolean;
}

/** PSI of one feature per window of a drift series. */
export function driftSeriesData(points: readonly DriftSeriesPoint[], feature: string): SeriesDatum[] {
  return points.map((p) => {
    const f = p.features.find((x) => x.feature === feature);
    return { day: p.start.slice(0, 10), psi: f && f.count > 0 ? f.psi : null, count: f?.count ?? 0, drifted: f?.drifted ?? false };
  });
}

export interface BinDatum {
  label: string;
  /** Shares as percentages, rounded for the axis and tooltip. */
  baseline: number;
  current: number;
}

export function binsChartData(bins: readonly HistogramBin[]): BinDatum[] {
  const percent = (share: number) => Math.round(share * 1000) / 10;
  const labels = binLabels(bins);
  return bins.map((b, i) => ({ label: labels[i]!, baseline: percent(b.baseline), current: percent(b.current) }));
}

export interface LatencyDatum {
  /** `GET /api/online/features` */
  route: string;
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Routes with measured latency, the busiest first, at most `limit` of them; only routes of `kind` when given. */
export function latencyChartData(latency: OperationsReport['latency'], limit = 12, kind?: RouteKind): LatencyDatum[] {
  return latency
    .filter((l) => l.count > 0 && l.p99_ms !== null && (kind === undefined || (l.kind ?? 'api') === kind))
    .sort((a, b) => b.count - a.count || a.route.localeCompare(b.route))
    .slice(0, limit)
    .map((l) => ({ route: `${l.method} ${l.route}`, count: l.count, p50: l.p50_ms, p95: l.p95_ms, p99: l.p99_ms }));
}

export type FreshnessRow = OperationsReport['freshness'][number] & {
  /** Age as a share of the TTL (0..1, capped), for the bar; undefined without a TTL or an age. */
  ttlUsed: number | undefined;
};

/** Stale groups first, then by entity and group. */
export function freshnessRows(freshness: OperationsReport['freshness']): FreshnessRow[] {
  return [...freshness]
    .sort((a, b) => Number(b.stale) - Number(a.stale) || a.entity.localeCompare(b.entity) || a.feature_group.localeCompare(b.feature_group))
    .map((g) => ({
      ...g,
      ttlUsed: g.ttl_seconds === null || g.age_seconds === null ? undefined : Math.min(1, Math.max(0, g.age_seconds / g.ttl_seconds)),
    }));
}

/** Requests per route kind, for saying what a chart leaves out. */
export function requestsByKind(latency: OperationsReport['latency']): Record<RouteKind, number> {
  const counts: Record<RouteKind, number> = { serving: 0, api: 0, ui: 0 };
  for (const l of latency) counts[l.kind ?? 'api'] += l.count;
  return counts;
}
