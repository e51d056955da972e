/**
 * PostgreSQL expressions between a feature's typed column and its canonical JSON text (the form
 * values take in row APIs: exactly what the embedded store's duckToJson gives, except that lists
 * stored as JSONB print with a space after each comma), the column types read back from the
 * catalog, and the conversions of a value type change.
 */
import { isListValueType, type ListValueType, type ValueType } from '@shared/domain/value-types.js';
import { pgColumnType } from '../offline-layout.js';

/**
 * JSON text of a double as DuckDB's to_json writes it: the shortest digits that read back as the
 * same double; positional notation from 1e-6 up to 1e21, with '.0' on whole numbers; otherwise
 * `1e21`, `1.5e-7`. PostgreSQL's own text of a double has those digits and is positional between
 * 1e-4 and 1e15, which is nearly every value. The rest is rebuilt from its digits (a regex, rarely
 * run); there, above 2^53, PostgreSQL may give 17 digits where 16 read back as the same double
 * (a decimal exactly halfway between two doubles, which reads as the even one): those are shortened
 * (below 1e308, where rounding up cannot overflow).
 */
export function pgFloatJson(col: string): string {
  const rebuilt = `(SELECT CASE
      WHEN d IS NULL THEN ${col}::text
      WHEN e BETWEEN -6 AND -1 THEN s || '0.' || repeat('0', -e - 1) || d
      WHEN e BETWEEN 0 AND 20 AND length(d) <= e + 1 THEN s || d || repeat('0', e + 1 - length(d)) || '.0'
      WHEN e BETWEEN 0 AND 20 THEN s || left(d, e + 1) || '.' || substr(d, e + 2)
      ELSE s || left(d, 1) || CASE WHEN length(d) > 1 THEN '.' || substr(d, 2) ELSE '' END || 'e' || e::text END
    FROM (SELECT s, CASE WHEN short THEN rtrim(c, '0') ELSE d0 END AS d, CASE WHEN short AND length(c) > 16 THEN e0 + 1 ELSE e0 END AS e
          FROM (SELECT s, d0, e0, c, c IS NOT NULL AND (s || c || 'e' || (e0 - 15))::float8 = ${col} AS short
                FROM (SELECT m[1] AS s, m[2] || m[3] AS d0, m[4]::int AS e0,
                             CASE WHEN length(m[2] || m[3]) = 17 AND m[4]::int BETWEEN 15 AND 307 THEN round((m[2] || m[3])::numeric / 10)::text END AS c
                      FROM (SELECT regexp_match(${col}::text, '^(-?)(\\d)\\.?(\\d*)e([-+]\\d+)$') AS m) r) p) q) z)`;
  return `CASE WHEN ${col} = 0 OR (abs(${col}) >= 1e-4 AND abs(${col}) < 1e15)
    THEN CASE WHEN ${col} = trunc(${col}) THEN ${col}::text || '.0' ELSE ${col}::text END
    ELSE ${rebuilt} END`;
}

/** JSON text of a typed column value (NULL stays NULL). */
export function pgToJson(col: string, valueType: ValueType): string {
  switch (valueType) {
    case 'INT':
    case 'BOOL':
      return `${col}::text`;
    case 'FLOAT':
      return pgFloatJson(col);
    case 'STRING':
      return `to_json(${col})::text`;
    case 'DATE':
      return `'"' || to_char(${col}, 'YYYY-MM-DD') || '"'`;
    case 'TIMESTAMP':
      return `'"' || to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return `${col}::text`;
  }
}

/** The typed value of canonical JSON text `json` (a text expression). */
export function pgFromJson(json: string, valueType: ValueType): string {
  switch (valueType) {
    case 'INT':
      return `(${json})::bigint`;
    case 'FLOAT':
      return `(${json})::float8`;
    case 'BOOL':
      return `(${json})::boolean`;
    case 'STRING':
      return `((${json})::json #>> '{}')`;
    case 'DATE':
      return `((${json})::json #>> '{}')::date`;
    case 'TIMESTAMP':
      return `((${json})::json #>> '{}')::timestamptz`;
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return `(${json})::jsonb`;
  }
}

/**
 * The value type of a column of a group table, from its PostgreSQL type and comment. JSONB holds
 * every list type, so list columns carry their value type in their comment (listTypeComment);
 * `exact` is false for a JSONB column without one (its list type is then checked on a change).
 */
export function valueTypeOfPgColumn(pgType: string, comment: string | null): { valueType: ValueType; exact: boolean } | undefined {
  switch (pgType) {
    case 'bigint':
      return { valueType: 'INT', exact: true };
    case 'double precision':
      return { valueType: 'FLOAT', exact: true };
    case 'text':
      return { valueType: 'STRING', exact: true };
    case 'boolean':
      return { valueType: 'BOOL', exact: true };
    case 'date':
      return { valueType: 'DATE', exact: true };
    case 'timestamp with time zone':
      return { valueType: 'TIMESTAMP', exact: true };
    case 'jsonb': {
      const listType = /^fstore:((?:INT|FLOAT|STRING|BOOL)_LIST)$/.exec(comment ?? '')?.[1] as ListValueType | undefined;
      return listType ? { valueType: listType, exact: true } : { valueType: 'STRING_LIST', exact: false };
    }
    default:
      return undefined;
  }
}

/** The comment that records a list column's value type (JSONB alone does not tell). */
export function listTypeComment(valueType: ValueType): string | null {
  return isListValueType(valueType) ? `fstore:${valueType}` : null;
}

/**
 * Converts a column to `to` after a value type change, as the embedded store does: numbers and
 * booleans to text keep their JSON text, INT to FLOAT is exact, text parses. The expression fails
 * (an error, not NULL: PostgreSQL 15 has no TRY_CAST) when a value does not convert; the caller then
 * keeps the old column. Undefined when no value of `from` can convert.
 */
export function pgRetype(col: string, from: ValueType, to: ValueType): string | undefined {
  if (from === to) return col;
  if (isListValueType(to)) {
    // Lists stay JSONB; text must parse as JSON. Elements are checked by listConforms.
    if (isListValueType(from)) return col;
    return from === 'STRING' ? `${col}::jsonb` : undefined;
  }
  if (to === 'STRING') return `(${pgToJson(col, from)})::json #>> '{}'`;
  if (isListValueType(from)) return undefined;
  const target = pgColumnType(to);
  switch (to) {
    case 'INT':
    case 'FLOAT':
      if (from === 'BOOL') return `${col}::int::${target}`;
      return from === 'STRING' || from === 'INT' || from === 'FLOAT' ? `${col}::${target}` : undefined;
    case 'BOOL':
      if (from === 'INT' || from === 'FLOAT') return `(${col} <> 0)`;
      return from === 'STRING' ? `${col}::boolean` : undefined;
    case 'DATE':
      if (from === 'TIMESTAMP') return `(${col} AT TIME ZONE 'UTC')::date`;
      return from === 'STRING' ? `${col}::date` : undefined;
    case 'TIMESTAMP':
      if (from === 'DATE') return `(${col}::timestamp AT TIME ZONE 'UTC')`;
      return from === 'STRING' ? `${col}::timestamptz` : undefined;
  }
}

/** True when a JSONB value is a list of the list type's elements (nulls allowed). */
export function listConforms(jsonb: string, listType: ListValueType): string {
  const element: Record<ListValueType, string> = {
    INT_LIST: `CASE WHEN jsonb_typeof(e) = 'number' THEN e::numeric = trunc(e::numeric) AND e::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 ELSE false END`,
    FLOAT_LIST: `jsonb_typeof(e) = 'number'`,
    STRING_LIST: `jsonb_typeof(e) = 'string'`,
    BOOL_LIST: `jsonb_typeof(e) = 'boolean'`,
  };
  return `(jsonb_typeof(${jsonb}) = 'array' AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${jsonb}) e WHERE jsonb_typeof(e) <> 'null' AND NOT (${element[listType]})))`;
}
