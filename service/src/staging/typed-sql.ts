/**
 * SQL (DuckDB) expressions that cast a staged column to a feature's value type and encode it as
 * JSON text. A value that cannot be represented yields NULL, which validation reports per row.
 * Column references are always produced by quoteIdent, never by string concatenation of input.
 */
import type { ValueType } from '@shared/domain/value-types.js';

/** Double-quotes an identifier with proper escaping (column names of uploaded files are arbitrary). */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** Single-quotes a SQL string literal (for feature names, which are validated snake_case anyway). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export type SourceKind = 'text' | 'json' | 'number' | 'bool' | 'temporal' | 'list' | 'other';

/** Classifies a DuckDB column type name as reported by DESCRIBE. */
export function sourceKindOf(duckType: string): SourceKind {
  const t = duckType.toUpperCase();
  if (t === 'VARCHAR') return 'text';
  if (t === 'JSON') return 'json';
  if (t.endsWith('[]')) return 'list';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(t)) return 'number';
  if (t === 'BOOLEAN') return 'bool';
  if (t.startsWith('DATE') || t.startsWith('TIMESTAMP')) return 'temporal';
  return 'other';
}

/** Scalar text of a column: JSON values are unwrapped so '"abc"' becomes 'abc'. */
function scalarText(col: string, kind: SourceKind): string {
  return kind === 'json' ? `json_extract_string(${col}, '$')` : col;
}

const LIST_ELEMENT: Record<string, string> = {
  INT_LIST: 'BIGINT',
  FLOAT_LIST: 'DOUBLE',
  STRING_LIST: 'VARCHAR',
  BOOL_LIST: 'BOOLEAN',
};

/** Expression giving the typed value of `col` (a quoted identifier) or NULL when it does not fit. */
export function typedExpr(col: string, kind: SourceKind, valueType: ValueType): string {
  const s = scalarText(col, kind);
  switch (valueType) {
    case 'INT':
      if (kind === 'list' || kind === 'temporal') return 'NULL::BIGINT';
      // Equal as DOUBLE and as BIGINT: rejects 1.5 (which a plain cast would round to 2).
      return `(CASE WHEN TRY_CAST(${s} AS DOUBLE) = TRY_CAST(${s} AS BIGINT) THEN TRY_CAST(${s} AS BIGINT) END)`;
    case 'FLOAT':
      if (kind === 'list' || kind === 'temporal') return 'NULL::DOUBLE';
      return `(CASE WHEN isfinite(TRY_CAST(${s} AS DOUBLE)) THEN TRY_CAST(${s} AS DOUBLE) END)`;
    case 'STRING':
      if (kind === 'list') return 'NULL::VARCHAR';
      return kind === 'text' || kind === 'json' ? s : `CAST(${col} AS VARCHAR)`;
    case 'BOOL':
      if (kind === 'bool') return col;
      if (kind === 'number') return `(CASE WHEN ${col} = 0 THEN false WHEN ${col} = 1 THEN true END)`;
      if (kind === 'text' || kind === 'json') {
        return `(CASE lower(trim(${s})) WHEN 'true' THEN true WHEN 't' THEN true WHEN '1' THEN true WHEN 'yes' THEN true
                 WHEN 'false' THEN false WHEN 'f' THEN false WHEN '0' THEN false WHEN 'no' THEN false END)`;
      }
      return 'NULL::BOOLEAN';
    case 'DATE':
      if (kind === 'number' || kind === 'list' || kind === 'bool') return 'NULL::DATE';
      return `TRY_CAST(${s} AS DATE)`;
    case 'TIMESTAMP':
      return timestampExpr(col, kind);
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST': {
      const element = LIST_ELEMENT[valueType]!;
      const listSource = kind === 'text' ? `TRY_CAST(${col} AS JSON)` : col;
      if (kind !== 'text' && kind !== 'json' && kind !== 'list') return `NULL::${element}[]`;
      const typed = `TRY_CAST(${listSource} AS ${element}[])`;
      // Element-wise strictness for integers, as for INT above.
      return valueType === 'INT_LIST'
        ? `(CASE WHEN TRY_CAST(${listSource} AS DOUBLE[]) = list_transform(${typed}, x -> CAST(x AS DOUBLE)) THEN ${typed} END)`
        : typed;
    }
  }
}

/** Event times must be ISO-8601 text or temporal columns; bare numbers are ambiguous (s? ms?). */
export function timestampExpr(col: string, kind: SourceKind): string {
  if (kind === 'temporal') return `CAST(${col} AS TIMESTAMPTZ)`;
  if (kind === 'text' || kind === 'json') return `TRY_CAST(${scalarText(col, kind)} AS TIMESTAMPTZ)`;
  return 'NULL::TIMESTAMPTZ';
}

/** JSON text of a typed value; dates and timestamps become ISO-8601 strings. */
export function jsonExpr(typed: string, valueType: ValueType): string {
  switch (valueType) {
    case 'DATE':
      return `CAST(to_json(strftime(${typed}, '%Y-%m-%d')) AS VARCHAR)`;
    case 'TIMESTAMP':
      return `CAST(to_json(strftime(timezone('UTC', ${typed}), '%Y-%m-%dT%H:%M:%S.%gZ')) AS VARCHAR)`;
    default:
      return `CAST(to_json(${typed}) AS VARCHAR)`;
  }
}

/** Human description of what a value type accepts, used in row error messages. */
export function expectation(valueType: ValueType): string {
  switch (valueType) {
    case 'INT':
      return 'an integer';
    case 'FLOAT':
      return 'a finite number';
    case 'STRING':
      return 'a text value';
    case 'BOOL':
      return 'true/false (also t/f, 1/0, yes/no)';
    case 'DATE':
      return 'a date (YYYY-MM-DD)';
    case 'TIMESTAMP':
      return 'an ISO-8601 timestamp';
    case 'INT_LIST':
      return 'a list of integers, e.g. [1, 2]';
    case 'FLOAT_LIST':
      return 'a list of numbers, e.g. [1.5, 2]';
    case 'STRING_LIST':
      return 'a list of strings, e.g. ["a", "b"]';
    case 'BOOL_LIST':
      return 'a list of booleans, e.g. [true, false]';
  }
}
