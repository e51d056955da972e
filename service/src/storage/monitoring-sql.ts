import type { DailySummary, ValueSummary, WindowQuery } from './offline-store.js';

/**
 * The WHERE clause of a monitoring query over the long history table, with the entity, feature
 * names and window as bound parameters (numbered from 1 by `placeholder`).
 */
export function windowWhere(query: WindowQuery, placeholder: (n: number) => string): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.entity, query.start, query.end];
  const names = query.features.map((f) => placeholder(params.push(f)));
  return {
    where: `entity = ${placeholder(1)} AND event_time_ms >= ${placeholder(2)} AND event_time_ms <= ${placeholder(3)} AND feature IN (${names.join(', ')})`,
    params,
  };
}

/** Numbers that are safe to write into SQL text: finite, in JS's shortest round-trip form. */
export function finiteList(values: number[]): string[] {
  return values.map((v) => {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  });
}

/**
 * The grids of a histogram query as a VALUES list (feature i bound as placeholder(4 + i) by
 * windowWhere; the numbers validated) and the bin of `x` on its feature's grid (columns of `g`).
 */
export function gridSql(grids: { lo: number; hi: number; bins: number }[], placeholder: (n: number) => string, cast: (n: string) => string, firstFeature = 4): { values: string; bin: string } {
  const rows = grids.map((grid, i) => {
    if (!(grid.hi > grid.lo)) throw new Error(`histogram grid needs lo < hi, got [${grid.lo}, ${grid.hi})`);
    const [lo, hi] = finiteList([grid.lo, grid.hi]);
    return `(${placeholder(firstFeature + i)}, ${cast(lo!)}, ${cast(hi!)}, ${Math.max(1, Math.floor(grid.bins))})`;
  });
  return {
    values: `(VALUES ${rows.join(', ')}) AS g(feature, lo, hi, n)`,
    bin: 'CASE WHEN x < g.lo THEN 0 WHEN x >= g.hi THEN g.n + 1 ELSE least(g.n, 1 + CAST(floor((x - g.lo) / (g.hi - g.lo) * g.n) AS INTEGER)) END',
  };
}

/**
 * WHERE over several event-time windows, and a join that gives each row once per window holding it
 * (windows may overlap: a baseline and a current window often do). Entity and feature names are
 * bound (features from placeholder(2)); window bounds are validated integers.
 */
export function windowsSql(query: { entity: string; features: string[]; windows: { start: number; end: number }[] }, placeholder: (n: number) => string): { where: string; windowJoin: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.entity];
  const names = query.features.map((f) => placeholder(params.push(f)));
  const bounds = query.windows.map((w) => {
    if (!Number.isFinite(w.start) || !Number.isFinite(w.end)) throw new Error(`window [${w.start}, ${w.end}] is not finite`);
    return [Math.trunc(w.start), Math.trunc(w.end)] as const;
  });
  const any = bounds.map(([a, b]) => `(event_time_ms >= ${a} AND event_time_ms <= ${b})`).join(' OR ');
  return {
    where: `entity = ${placeholder(1)} AND feature IN (${names.join(', ')}) AND (${any || 'false'})`,
    windowJoin: `JOIN (VALUES ${bounds.map(([a, b], i) => `(${i}, ${a}, ${b})`).join(', ')}) AS win(w, lo, hi) ON v.event_time_ms >= win.lo AND v.event_time_ms <= win.hi`,
    params,
  };
}

// ---- result rows -> results: both adapters select the same columns in the same order ----

export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Rows [feature, count, numeric, min, max, mean, std, quantiles[], distinct] -> one summary per requested feature. */
export function summariesFromRows(features: string[], rows: unknown[][], probabilities: number): ValueSummary[] {
  const byFeature = new Map(rows.map((r) => [String(r[0]), r]));
  const noQuantiles = () => new Array<number | null>(probabilities).fill(null);
  return features.map((feature) => {
    const r = byFeature.get(feature);
    if (!r) return { feature, count: 0, numeric: 0, min: null, max: null, mean: null, std: null, quantiles: noQuantiles(), distinct: 0 };
    return {
      feature,
      count: Number(r[1]),
      numeric: Number(r[2]),
      min: numberOrNull(r[3]),
      max: numberOrNull(r[4]),
      mean: numberOrNull(r[5]),
      std: numberOrNull(r[6]),
      quantiles: Array.isArray(r[7]) ? (r[7] as unknown[]).map(numberOrNull) : noQuantiles(),
      distinct: Number(r[8]),
    };
  });
}

/** Empty counts per window and feature, then filled from rows [window, feature, bin, count]. */
export function histogramFromRows(query: { features: string[]; windows: unknown[]; grids: { bins: number }[] }, rows: unknown[][]): number[][][] {
  const out = query.windows.map(() => query.grids.map((g) => new Array<number>(Math.max(1, Math.floor(g.bins)) + 2).fill(0)));
  for (const [w, feature, bin, count] of rows) {
    const counts = out[Number(w)]?.[query.features.indexOf(String(feature))];
    // Summed: a store may return several rows for one bin (every position under the grid is bin 0).
    if (counts) counts[Number(bin)]! += Number(count);
  }
  return out;
}

/** Rows [feature, value, count] (most frequent first) -> per requested feature. */
export function topValuesFromRows(features: string[], rows: unknown[][]): { value: string; count: number }[][] {
  const out = features.map(() => [] as { value: string; count: number }[]);
  for (const [feature, value, n] of rows) out[features.indexOf(String(feature))]?.push({ value: String(value), count: Number(n) });
  return out;
}

/** Rows [feature, day, count, numeric, mean, min, max]. */
export function dailyFromRows(rows: unknown[][]): DailySummary[] {
  return rows.map((r) => ({
    feature: String(r[0]),
    day: String(r[1]),
    count: Number(r[2]),
    numeric: Number(r[3]),
    mean: numberOrNull(r[4]),
    min: numberOrNull(r[5]),
    max: numberOrNull(r[6]),
  }));
}
