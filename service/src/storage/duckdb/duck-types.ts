import type { ValueType } from '@shared/domain/value-types.js';

/** The DuckDB type of each value type: native scalars and LISTs (tables, Parquet files, casts). */
export function duckTypeOf(valueType: ValueType): string {
  switch (valueType) {
    case 'INT':
      return 'BIGINT';
    case 'FLOAT':
      return 'DOUBLE';
    case 'BOOL':
      return 'BOOLEAN';
    case 'STRING':
      return 'VARCHAR';
    case 'DATE':
      return 'DATE';
    case 'TIMESTAMP':
      return 'TIMESTAMPTZ';
    case 'INT_LIST':
      return 'BIGINT[]';
    case 'FLOAT_LIST':
      return 'DOUBLE[]';
    case 'STRING_LIST':
      return 'VARCHAR[]';
    case 'BOOL_LIST':
      return 'BOOLEAN[]';
  }
}
