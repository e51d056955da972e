/**
 * What the raw baselines of the offline scenarios share: the same wide typed table FStore's offline
 * store keeps per feature group (ADR 0008: key, event time, ingestion time, then per feature its
 * value in the value type's native type and its carried-time column), created by hand in a raw
 * DuckDB or PostgreSQL; psql sessions for the PostgreSQL baselines; and the cell-by-cell comparison
 * of two output files, done inside DuckDB (never row by row in JavaScript).
 */
import { execFileSync } from 'node:child_process';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValueType } from '@shared/domain/value-types.js';
import { carriedTimeColumn, duckColumnType, ident, INGESTED_COLUMN, KEY_COLUMN, pgColumnType, TIME_COLUMN } from '../service/src/storage/offline-layout.js';

export interface WideFeature {
  feature: string;
  valueType: ValueType;
}

/** CREATE TABLE of the same wide typed table FStore's DuckDB store creates for a group. */
export function duckWideTable(name: string, features: readonly WideFeature[]): string {
  const columns = [
    `${ident(KEY_COLUMN)} VARCHAR NOT NULL`,
    `${ident(TIME_COLUMN)} TIMESTAMPTZ NOT NULL`,
    `${ident(INGESTED_COLUMN)} TIMESTAMPTZ NOT NULL`,
    ...features.flatMap((f) => [`${ident(f.feature)} ${duckColumnType(f.valueType)}`, `${ident(carriedTimeColumn(f.feature))} TIMESTAMPTZ`]),
  ];
  return `CREATE TABLE ${ident(name)} (${columns.join(', ')})`;
}

/** CREATE TABLE of the same wide typed table FStore's PostgreSQL store creates (primary key (entity_key, event_time)). */
export function pgWideTable(name: string, features: readonly WideFeature[]): string {
  const columns = [
    `${ident(KEY_COLUMN)} text COLLATE "C" NOT NULL`,
    `${ident(TIME_COLUMN)} timestamptz NOT NULL`,
    `${ident(INGESTED_COLUMN)} timestamptz NOT NULL`,
    ...features.flatMap((f) => [`${ident(f.feature)} ${pgColumnType(f.valueType)}`, `${ident(carriedTimeColumn(f.feature))} timestamptz`]),
  ];
  return `CREATE TABLE ${ident(name)} (${columns.join(', ')}, PRIMARY KEY (${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}))`;
}

/**
 * One psql session (UTC, stop at the first error) running `commands` in order: SQL or psql
 * meta-commands such as \copy, which must fit on one line (whitespace runs are collapsed).
 */
export function psql(url: string, commands: string[]): void {
  const args = [url, '-q', '-X', '-v', 'ON_ERROR_STOP=1', '-c', "SET TimeZone = 'UTC'"];
  for (const command of commands) args.push('-c', command.replace(/\s+/g, ' ').trim());
  execFileSync('psql', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface OutputCheck {
  rows: number;
  /** Rows present in one file only (by position). */
  unmatched: number;
  /** Rows with at least one cell that differs (NULL equals NULL only). */
  mismatchedRows: number;
  /** NULL cells among the compared columns of FStore's file. */
  nullCells: number;
  cellsCompared: number;
  /** Both sides of the first differing row, for the error message. */
  first: string | null;
}

/**
 * Compares FStore's output (a Parquet file, rows in file order) with a baseline relation that has a
 * `pos` column (0-based row position) and the same `columns`, cell by cell, in DuckDB: a full join
 * on the position and a count of the rows that differ.
 */
export async function compareOutputs(c: DuckDBConnection, fstoreParquet: string, baseline: string, columns: readonly string[]): Promise<OutputCheck> {
  const f = `(SELECT file_row_number AS pos, ${columns.map(ident).join(', ')} FROM read_parquet(${literal(fstoreParquet)}, file_row_number = true))`;
  // Aliases no output column is called (a column named like an alias would make to_json ambiguous).
  const differs = columns.map((col) => `fstore_.${ident(col)} IS DISTINCT FROM base_.${ident(col)}`).join(' OR ');
  const nulls = columns.map((col) => `CAST(fstore_.${ident(col)} IS NULL AS INTEGER)`).join(' + ');
  const joined = `${f} fstore_ FULL JOIN (${baseline}) base_ ON fstore_.pos = base_.pos`;
  const reader = await c.runAndReadAll(
    `SELECT CAST(count(*) AS DOUBLE), CAST(count(*) FILTER (WHERE fstore_.pos IS NULL OR base_.pos IS NULL) AS DOUBLE),
            CAST(count(*) FILTER (WHERE ${differs}) AS DOUBLE), CAST(coalesce(sum(${nulls}), 0) AS DOUBLE),
            CAST(min(coalesce(fstore_.pos, base_.pos)) FILTER (WHERE fstore_.pos IS NULL OR base_.pos IS NULL OR ${differs}) AS DOUBLE)
     FROM ${joined}`,
  );
  const [rows, unmatched, mismatchedRows, nullCells, firstPos] = reader.getRowsJS()[0]!.map((v) => (v === null ? null : Number(v)));
  let first: string | null = null;
  if (firstPos !== null && firstPos !== undefined) {
    const sides = await c.runAndReadAll(
      `SELECT CAST(to_json(fstore_) AS VARCHAR), CAST(to_json(base_) AS VARCHAR) FROM ${joined} WHERE coalesce(fstore_.pos, base_.pos) = ${firstPos}`,
    );
    const [mine, theirs] = sides.getRowsJS()[0] ?? [];
    first = `row ${firstPos}: FStore ${String(mine)} / baseline ${String(theirs)}`;
  }
  return { rows: rows!, unmatched: unmatched!, mismatchedRows: mismatchedRows!, nullCells: nullCells!, cellsCompared: rows! * columns.length, first };
}

/** The column names and types of a Parquet file, as DuckDB reads them. */
export async function parquetSchema(c: DuckDBConnection, path: string): Promise<{ name: string; type: string }[]> {
  const reader = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`);
  return reader.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

/** A single-quoted SQL string literal (file paths). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
