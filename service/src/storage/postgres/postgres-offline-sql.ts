/**
 * Read-side SQL over PostgreSQL group tables: the point-in-time lookup (one LATERAL index lookup
 * per group table, every requested feature of a table fetched together), the values written in a
 * window (for monitoring and the range form) and event-time conversions. Identifiers are registry
 * names validated by offline-layout.ts; numbers are validated before they reach the text.
 */
import type { ValueType } from '@shared/domain/value-types.js';
import { quoteLiteral } from '../../staging/typed-sql.js';
import { carriedTimeColumn, groupTable, ident, isNumericValueType, KEY_COLUMN, TIME_COLUMN } from '../offline-layout.js';
import type { PgOfflineCatalog } from './postgres-offline-catalog.js';
import { pgToJson } from './postgres-typed-values.js';

export interface JoinFeature {
  name: string;
  ttlSeconds: number | null;
}

/** A stored feature's cell after a lookup. */
export interface Cell {
  /** The typed column of the lookup, or `NULL` when the feature has no column. */
  value: string;
  valueType: ValueType | undefined;
  /** Condition under which the value is within the feature's TTL (undefined: no TTL). */
  live: string | undefined;
}

export function msInt(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite time: ${n}`);
  return String(Math.trunc(n));
}

/** A TIMESTAMPTZ from epoch milliseconds held in a BIGINT expression (exact: integer arithmetic). */
export function tsFromMs(ms: string): string {
  return `(timestamptz 'epoch' + (${ms}) * interval '1 millisecond')`;
}

/** Epoch milliseconds (DOUBLE PRECISION, exact for whole milliseconds) of a TIMESTAMPTZ expression. */
export function msFromTs(ts: string): string {
  return `round(date_part('epoch', ${ts}) * 1000)`;
}

const MIN_LITERAL_MS = Date.UTC(1, 0, 1);
const MAX_LITERAL_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A TIMESTAMPTZ constant for epoch milliseconds; bounds beyond years 1..9999 are the infinities. */
export function tsLiteral(ms: number): string {
  const n = Number(msInt(ms));
  if (n < MIN_LITERAL_MS) return `'-infinity'::timestamptz`;
  if (n > MAX_LITERAL_MS) return `'infinity'::timestamptz`;
  return `'${new Date(n).toISOString()}'::timestamptz`;
}

/** `event_time` bounds of a window, inclusive, on a group table. */
export function windowClause(start: number, end: number, alias = ''): string {
  const col = `${alias}${ident(TIME_COLUMN)}`;
  return `${col} >= ${tsLiteral(start)} AND ${col} <= ${tsLiteral(end)}`;
}

/** True for rows where at least one of the features was written (not carried). */
export function anyWritten(features: readonly string[], alias = ''): string {
  return features.map((f) => `(${alias}${ident(f)} IS NOT NULL AND ${alias}${ident(carriedTimeColumn(f))} IS NULL)`).join(' OR ') || 'false';
}

/**
 * One LEFT JOIN LATERAL per group table against a spine `l` with columns entity_key and t
 * (TIMESTAMPTZ): the newest state at or before t, found by a backward scan of the primary key.
 * Returns the joins and one cell per requested feature, in request order.
 */
export function lateralJoins(catalog: PgOfflineCatalog, features: readonly JoinFeature[]): { joins: string; cells: Cell[] } {
  const byTable = catalog.byTable(features.map((f) => f.name));
  const cells: Cell[] = features.map(() => ({ value: 'NULL', valueType: undefined, live: undefined }));
  const joins: string[] = [];
  const key = ident(KEY_COLUMN);
  const time = ident(TIME_COLUMN);
  let alias = 0;
  for (const [group, members] of byTable) {
    const a = `g${alias++}`;
    const columns = members.flatMap((m) => [ident(m.feature), ident(carriedTimeColumn(m.feature))]);
    joins.push(
      `LEFT JOIN LATERAL (SELECT s.${time}, ${columns.map((c) => `s.${c}`).join(', ')} FROM ${groupTable(group)} s
         WHERE s.${key} = l.entity_key AND s.${time} <= l.t ORDER BY s.${time} DESC LIMIT 1) ${a} ON true`,
    );
    for (const m of members) {
      const ttl = features[m.position]!.ttlSeconds;
      const written = `coalesce(${a}.${ident(carriedTimeColumn(m.feature))}, ${a}.${time})`;
      cells[m.position] = {
        value: `${a}.${ident(m.feature)}`,
        valueType: m.valueType,
        live: ttl === null ? undefined : `${written} >= l.t - ${msInt(ttl * 1000)} * interval '1 millisecond'`,
      };
    }
  }
  return { joins: joins.join('\n'), cells };
}

/**
 * Cells read from a row `s` of one group table itself (the row is the state at its own time), for
 * the requested features stored there; NULL for the others.
 */
export function ownCells(catalog: PgOfflineCatalog, group: string, features: readonly JoinFeature[]): Cell[] {
  const stored = catalog.columnsOf(group);
  const time = `s.${ident(TIME_COLUMN)}`;
  return features.map((f) => {
    const column = stored.get(f.name);
    if (!column || catalog.find(f.name)?.group !== group) return { value: 'NULL', valueType: undefined, live: undefined };
    const written = `coalesce(s.${ident(carriedTimeColumn(f.name))}, ${time})`;
    return {
      value: `s.${ident(f.name)}`,
      valueType: column.valueType,
      live: f.ttlSeconds === null ? undefined : `${written} >= ${time} - ${msInt(f.ttlSeconds * 1000)} * interval '1 millisecond'`,
    };
  });
}

/** A cell as canonical JSON text (the row APIs' form), NULL past its TTL. */
export function jsonCell(cell: Cell): string {
  if (cell.valueType === undefined) return 'NULL::text';
  const json = pgToJson(cell.value, cell.valueType);
  return cell.live === undefined ? json : `CASE WHEN ${cell.live} THEN ${json} END`;
}

/**
 * The values written in a window, one row per value: (feature, entity_key, t, x) where t is the
 * event time (TIMESTAMPTZ) and x the value as DOUBLE PRECISION (`numbers`: numeric features only,
 * read from their typed columns) or as JSON text (`json`: all). Undefined when no requested feature
 * has a column.
 */
export function writtenValues(
  catalog: PgOfflineCatalog,
  features: readonly string[],
  window: { start: number; end: number } | { windows: { start: number; end: number }[] },
  form: 'numbers' | 'json',
): string | undefined {
  const parts: string[] = [];
  for (const [group, members] of catalog.byTable(features)) {
    const kept = form === 'numbers' ? members.filter((m) => isNumericValueType(m.valueType)) : members;
    if (kept.length === 0) continue;
    const values = kept.map((m) => {
      const col = `g.${ident(m.feature)}`;
      const value = form === 'numbers' ? (m.valueType === 'FLOAT' ? col : `${col}::float8`) : pgToJson(col, m.valueType);
      return `(${quoteLiteral(m.feature)}, CASE WHEN g.${ident(carriedTimeColumn(m.feature))} IS NULL THEN ${value} END)`;
    });
    const where =
      'windows' in window
        ? window.windows.map((w) => `(${windowClause(w.start, w.end, 'g.')})`).join(' OR ') || 'false'
        : windowClause(window.start, window.end, 'g.');
    parts.push(
      `SELECT v.feature, g.${ident(KEY_COLUMN)} AS entity_key, g.${ident(TIME_COLUMN)} AS t, v.x
       FROM ${groupTable(group)} g CROSS JOIN LATERAL (VALUES ${values.join(', ')}) AS v(feature, x)
       WHERE (${where}) AND v.x IS NOT NULL`,
    );
  }
  return parts.length > 0 ? parts.join('\nUNION ALL\n') : undefined;
}
