/**
 * A finished training set summarised for a look before download: its first rows and, per feature
 * column, the share of rows with a value, counted by DuckDB over the whole output file.
 */
import type { TrainingSetSummary } from '@shared/api/serving.js';
import type { StagingEngine } from '../staging/staging-engine.js';
import { quoteIdent } from '../staging/typed-sql.js';

export interface ResultFile {
  path: string;
  format: 'parquet' | 'csv';
  /** Output columns in file order. */
  columns: string[];
  /** The features (registered names), one per trailing column of `columns`. */
  features: string[];
}

/** The summary of a result file, without its job id. */
export async function summarizeResultFile(staging: StagingEngine, file: ResultFile, limit: number): Promise<Omit<TrainingSetSummary, 'job_id'>> {
  // A CSV is shown as its text: what a reader of the downloaded file sees.
  const reader = file.format === 'parquet' ? 'read_parquet($1)' : 'read_csv($1, header = true, all_varchar = true)';
  const featureStart = file.columns.length - file.features.length;
  const featureColumns = file.columns.slice(featureStart);
  const connection = await staging.connect();
  try {
    const counts = await connection.runAndReadAll(
      `SELECT CAST(count(*) AS DOUBLE)${featureColumns.map((c) => `, CAST(count(${quoteIdent(c)}) AS DOUBLE)`).join('')} FROM ${reader}`,
      [file.path],
    );
    const [rows = 0, ...nonNull] = (counts.getRowsJS()[0] ?? []).map(Number);
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`, [file.path]);
    const types = described.getRowObjectsJS().map((r) => String(r['column_type']));
    const head = await connection.runAndReadAll(`SELECT * FROM ${reader} LIMIT ${Math.max(0, Math.floor(limit))}`, [file.path]);
    return {
      row_count: rows,
      columns: file.columns,
      coverage: file.features.map((feature, i) => {
        const count = nonNull[i] ?? 0;
        return { feature, column: featureColumns[i]!, non_null: count, share: rows === 0 ? 0 : count / rows };
      }),
      preview: head.getRowsJS().map((cells) => cells.map((cell, i) => jsonCell(cell, types[i] ?? ''))),
    };
  } finally {
    connection.closeSync();
  }
}

/** A DuckDB value as JSON carries it: times as ISO-8601 text, big integers beyond 2^53 and non-finite numbers as text. */
function jsonCell(cell: unknown, type: string): unknown {
  if (cell === null || cell === undefined) return null;
  // JSON has no NaN or Infinity: their names, as a CSV would show them.
  if (typeof cell === 'number' && !Number.isFinite(cell)) return String(cell);
  if (typeof cell === 'bigint') return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString();
  if (cell instanceof Date) return type === 'DATE' ? cell.toISOString().slice(0, 10) : cell.toISOString();
  if (Array.isArray(cell)) return cell.map((c) => jsonCell(c, ''));
  if (typeof cell === 'object') return JSON.parse(JSON.stringify(cell, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  return cell;
}
