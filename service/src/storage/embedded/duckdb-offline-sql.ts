/**
 * Read-side SQL over DuckDB group tables: the point-in-time join (one ASOF JOIN per table, every
 * requested feature of a table fetched together), the rows written in a window (for monitoring and
 * the range form) and per-cell expressions with the TTL applied. Identifiers are registry names
 * validated by offline-layout.ts; numbers are validated before they reach the text.
 */
import type { ValueType } from '@shared/domain/value-types.js';
import { carriedTimeColumn, groupTable, ident, isNumericValueType, KEY_COLUMN, TIME_COLUMN } from '../offline-layout.js';
import type { DuckDbOfflineCatalog } from './duckdb-offline-catalog.js';
import { duckToJson } from './duckdb-typed-values.js';

export interface JoinFeature {
  name: string;
  ttlSeconds: number | null;
}

/** A stored feature's cell after an ASOF join: its value, or NULL when older than the TTL. */
export interface Cell {
  /** The typed value expression (NULL past the TTL), or `NULL` when the feature has no column. */
  value: string;
  valueType: ValueType | undefined;
}

export function msInt(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite time: ${n}`);
  return String(Math.trunc(n));
}

/**
 * One ASOF LEFT JOIN per group table against a spine `l` with columns entity_key and `t`
 * (TIMESTAMPTZ) and `t_ms` (BIGINT): the newest state at or before t. Returns the join clauses and
 * one cell per requested feature, in request order.
 */
export function asofJoins(catalog: DuckDbOfflineCatalog, features: readonly JoinFeature[]): { joins: string; cells: Cell[] } {
  const byTable = catalog.byTable(features.map((f) => f.name));
  const cells: Cell[] = features.map(() => ({ value: 'NULL', valueType: undefined }));
  const joins: string[] = [];
  let alias = 0;
  for (const [group, members] of byTable) {
    const a = `g${alias++}`;
    const columns = members.flatMap((m) => [ident(m.feature), ident(carriedTimeColumn(m.feature))]);
    joins.push(
      `ASOF LEFT JOIN (SELECT ${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}, ${columns.join(', ')} FROM ${groupTable(group)}) ${a}
         ON l.entity_key = ${a}.${ident(KEY_COLUMN)} AND l.t >= ${a}.${ident(TIME_COLUMN)}`,
    );
    for (const m of members) {
      const value = `${a}.${ident(m.feature)}`;
      const ttl = features[m.position]!.ttlSeconds;
      const written = `coalesce(${a}.${ident(carriedTimeColumn(m.feature))}, ${a}.${ident(TIME_COLUMN)})`;
      cells[m.position] = {
        value: ttl === null ? value : `CASE WHEN l.t_ms - epoch_ms(${written}) <= ${msInt(ttl * 1000)} THEN ${value} END`,
        valueType: m.valueType,
      };
    }
  }
  return { joins: joins.join('\n'), cells };
}

/** A cell as canonical JSON text (the row APIs' form). */
export function jsonCell(cell: Cell): string {
  return cell.valueType === undefined ? 'CAST(NULL AS VARCHAR)' : duckToJson(cell.value, cell.valueType);
}

/** `event_time` bounds of a window, inclusive, on a group table. */
export function windowClause(start: number, end: number, alias = ''): string {
  const col = `${alias}${ident(TIME_COLUMN)}`;
  const lo = Math.max(start, -8_000_000_000_000);
  const hi = Math.min(end, 8_000_000_000_000);
  return `${col} >= CAST(epoch_ms(${msInt(lo)}) AS TIMESTAMPTZ) AND ${col} <= CAST(epoch_ms(${msInt(hi)}) AS TIMESTAMPTZ)`;
}

/** True for rows where at least one of the features was written (not carried). */
export function anyWritten(features: readonly string[], alias = ''): string {
  return features.map((f) => `(${alias}${ident(f)} IS NOT NULL AND ${alias}${ident(carriedTimeColumn(f))} IS NULL)`).join(' OR ') || 'false';
}

/**
 * The values written in a window, one row per value: (feature, entity_key, event_time_ms, x) where
 * x is the value as DOUBLE (`numbers`: numeric features only) or as JSON text (`json`: all).
 * Empty when no requested feature has a column.
 */
export function writtenValues(
  catalog: DuckDbOfflineCatalog,
  features: readonly string[],
  window: { start: number; end: number } | { windows: { start: number; end: number }[] },
  form: 'numbers' | 'json',
  /** Read about this share of the table's blocks (system sampling), for estimates. */
  samplePercent?: number,
): string | undefined {
  const parts: string[] = [];
  for (const [group, members] of catalog.byTable(features)) {
    const kept = form === 'numbers' ? members.filter((m) => isNumericValueType(m.valueType)) : members;
    if (kept.length === 0) continue;
    const values = kept.map((m) => {
      const value = form === 'numbers' ? `CAST(${ident(m.feature)} AS DOUBLE)` : duckToJson(ident(m.feature), m.valueType);
      return `CASE WHEN ${ident(carriedTimeColumn(m.feature))} IS NULL THEN ${value} END AS ${ident(m.feature)}`;
    });
    const where =
      'windows' in window
        ? window.windows.map((w) => `(${windowClause(w.start, w.end)})`).join(' OR ') || 'false'
        : windowClause(window.start, window.end);
    parts.push(
      `SELECT feature, entity_key, event_time_ms, x FROM (UNPIVOT (
         SELECT ${ident(KEY_COLUMN)} AS entity_key, epoch_ms(${ident(TIME_COLUMN)}) AS event_time_ms, ${values.join(', ')}
         FROM ${groupTable(group)} WHERE ${where}${samplePercent === undefined ? '' : ` USING SAMPLE ${samplePercent} PERCENT (system)`}) ON ${kept.map((m) => ident(m.feature)).join(', ')} INTO NAME feature VALUE x)`,
    );
  }
  return parts.length > 0 ? parts.join('\nUNION ALL\n') : undefined;
}
