import type { WindowQuery } from './offline-store.js';

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
