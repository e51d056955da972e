/**
 * Files in and out of the PostgreSQL store without rows passing through JavaScript. PostgreSQL reads
 * and writes neither Parquet nor files of this machine (the server may be elsewhere), so a small
 * in-memory DuckDB converts: Parquet to CSV for `COPY ... FROM STDIN`, and the CSV of
 * `COPY ... TO STDOUT` to typed Parquet or CSV. CSV conventions on both sides: every non-null text
 * field is quoted and NULL is an unquoted empty field, so NULL and the empty string stay apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isListValueType, type ValueType } from '@shared/domain/value-types.js';
import { openDuckDb, withConnection } from '../duckdb/duckdb-session.js';
import { duckColumnType } from '../offline-layout.js';

export class DuckFiles {
  private instance: Promise<DuckDBInstance> | undefined;

  /** Runs `fn` on a connection of the store's in-memory DuckDB (opened on first use). */
  async run<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    this.instance ??= openDuckDb(':memory:');
    return withConnection(await this.instance, fn);
  }

  async close(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance) (await instance.catch(() => undefined))?.closeSync();
  }
}

/** A fresh temp folder for `fn`, removed afterwards whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fstore-pg-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A single-quoted DuckDB string literal (file paths). */
export function duckString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A value of a typed column (a DuckDB expression of the value type's DuckDB type) as the CSV field
 * PostgreSQL's input function reads for the value type's PostgreSQL column: lists as JSON text.
 */
export function duckToPgText(col: string, valueType: ValueType): string {
  const typed = `CAST(${col} AS ${duckColumnType(valueType)})`;
  // Doubles through to_json: the same shortest round-trip digits as a cast to VARCHAR (NaN and
  // Infinity as PostgreSQL spells them), in half the time, which matters at 10 values a row.
  return isListValueType(valueType) || valueType === 'FLOAT' ? `CAST(to_json(${typed}) AS VARCHAR)` : typed;
}

/** Whether the CSV field of a value type is text that must always be quoted (it may be empty). */
export function quotedInCsv(valueType: ValueType): boolean {
  return valueType === 'STRING' || isListValueType(valueType);
}

/**
 * The typed DuckDB value of a CSV field written by PostgreSQL (VARCHAR `col`) for a column of the
 * value type: PostgreSQL's text forms of bigint, double, text, date and timestamptz (ISO, UTC) read
 * as they are; booleans are selected as 'true'/'false' and lists as JSON text.
 */
export function duckFromPgText(col: string, valueType: ValueType): string {
  const type = duckColumnType(valueType);
  return isListValueType(valueType) ? `CAST(CAST(${col} AS JSON) AS ${type})` : `CAST(${col} AS ${type})`;
}

/** `read_csv` of a file written by `COPY ... TO STDOUT (FORMAT csv, FORCE_QUOTE *)`, every column VARCHAR. */
export function readPgCsv(path: string, columns: readonly string[]): string {
  const spec = columns.map((c) => `${duckString(c)}: 'VARCHAR'`).join(', ');
  return `read_csv(${duckString(path)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
                   allow_quoted_nulls = false, columns = {${spec}})`;
}
