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
