/**
 * DuckDB expressions between a feature's typed column and its canonical JSON text (the form values
 * take in row APIs, the online store and JSON answers), and the column types read back from the
 * catalog. The JSON forms are those batch ingestion has always written (service/src/staging/typed-sql.ts).
 */
import type { ValueType } from '@shared/domain/value-types.js';
import { duckTypeOf } from '../duckdb/duck-types.js';

/** JSON text of a typed column value (NULL stays NULL). */
export function duckToJson(col: string, valueType: ValueType): string {
  switch (valueType) {
    case 'DATE':
      return `CAST(to_json(strftime(${col}, '%Y-%m-%d')) AS VARCHAR)`;
    case 'TIMESTAMP':
      return `CAST(to_json(strftime(timezone('UTC', ${col}), '%Y-%m-%dT%H:%M:%S.%gZ')) AS VARCHAR)`;
    case 'INT':
      return `CAST(${col} AS VARCHAR)`;
    default:
      return `CAST(to_json(${col}) AS VARCHAR)`;
  }
}

/** The typed value of canonical JSON text `json` (a VARCHAR expression). */
export function duckFromJson(json: string, valueType: ValueType): string {
  switch (valueType) {
    case 'INT':
      return `CAST(${json} AS BIGINT)`;
    case 'FLOAT':
      return `CAST(${json} AS DOUBLE)`;
    case 'BOOL':
      return `CAST(${json} AS BOOLEAN)`;
    case 'STRING':
      return `json_extract_string(${json}, '$')`;
    case 'DATE':
      return `CAST(json_extract_string(${json}, '$') AS DATE)`;
    case 'TIMESTAMP':
      return `CAST(json_extract_string(${json}, '$') AS TIMESTAMPTZ)`;
    case 'INT_LIST':
      return `CAST(CAST(${json} AS JSON) AS BIGINT[])`;
    case 'FLOAT_LIST':
      return `CAST(CAST(${json} AS JSON) AS DOUBLE[])`;
    case 'STRING_LIST':
      return `CAST(CAST(${json} AS JSON) AS VARCHAR[])`;
    case 'BOOL_LIST':
      return `CAST(CAST(${json} AS JSON) AS BOOLEAN[])`;
  }
}

/** The value type a column of a group table stores, from its DuckDB type name. */
export function valueTypeOfDuckColumn(duckType: string): ValueType | undefined {
  switch (duckType.toUpperCase()) {
    case 'BIGINT':
      return 'INT';
    case 'DOUBLE':
      return 'FLOAT';
    case 'VARCHAR':
      return 'STRING';
    case 'BOOLEAN':
      return 'BOOL';
    case 'DATE':
      return 'DATE';
    case 'TIMESTAMP WITH TIME ZONE':
      return 'TIMESTAMP';
    case 'BIGINT[]':
      return 'INT_LIST';
    case 'DOUBLE[]':
      return 'FLOAT_LIST';
    case 'VARCHAR[]':
      return 'STRING_LIST';
    case 'BOOLEAN[]':
      return 'BOOL_LIST';
    default:
      return undefined;
  }
}

/**
 * Converts a column of another value type to `to` after a type change, as the JSON forms would:
 * numbers and booleans to text keep their JSON text, INT to FLOAT is exact, text to numbers parses.
 * Values that do not fit become NULL; the caller keeps the old column when any would.
 */
export function duckRetype(col: string, from: ValueType, to: ValueType): string {
  if (to === 'STRING') {
    if (from === 'STRING') return col;
    return `json_extract_string(${duckToJson(col, from)}, '$')`;
  }
  return `TRY_CAST(${col} AS ${duckTypeOf(to)})`;
}
