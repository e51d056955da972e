/**
 * Reads a label file (CSV, Parquet, JSON, NDJSON) into the label rows of a point-in-time request:
 * `{entity_key, timestamp, ...labels}`. DuckDB reads the file (types sniffed, so a CSV's numeric
 * labels stay numbers); the key and time columns are renamed to the request's names.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../errors/app-error.js';
import type { DataFormat } from '../staging/data-format.js';
import { explainUnreadableFile } from '../staging/file-content-check.js';
import { deepJsonProblem, findDeepJson } from '../staging/json-file-depth.js';
import { cleanDuckMessage, type StagingEngine } from '../staging/staging-engine.js';
import { quoteIdent } from '../staging/typed-sql.js';

export interface LabelColumns {
  /** Default `entity_key`. */
  keyColumn?: string | undefined;
  /** Default `timestamp`. */
  timeColumn?: string | undefined;
  /**
   * The output keeps the file's key and time column names (`keep_column_names`) instead of
   * `entity_key` and `timestamp`. Those two names still hold the key and time while joining.
   */
  keepNames?: boolean | undefined;
}

export type LabelRow = { entity_key: string | number; timestamp: string } & Record<string, unknown>;

export const LABEL_READER: Record<DataFormat, string> = {
  csv: 'read_csv($1, header = true)',
  parquet: 'read_parquet($1)',
  json: "read_json($1, format = 'auto', sample_size = -1)",
  ndjson: "read_json($1, format = 'auto', sample_size = -1)",
};

export async function readLabelFile(staging: StagingEngine, path: string, format: DataFormat, choice: LabelColumns = {}): Promise<LabelRow[]> {
  const connection = await staging.connect();
  try {
    // DuckDB's JSON reader crashes the process on a deep enough document: checked first.
    const deep = format === 'json' || format === 'ndjson' ? await findDeepJson(connection, path) : null;
    if (deep) throw new AppError('FSTORE_VALIDATION_FAILED', `The ${format.toUpperCase()} label file was not read: ${deepJsonProblem(deep, path)}`);
    const columns = await describe(connection, path, format);
    const { keyColumn: key, timeColumn: time, labels } = checkLabelColumns(columns, choice);
    const keyColumn = key.name;
    const timeColumn = time.name;
    const select = [keyColumn, timeColumn, ...labels.map((c) => c.name)].map(quoteIdent).join(', ');
    const reader = await connection.runAndReadAll(`SELECT ${select} FROM ${LABEL_READER[format]}`, [path]);
    const isDate = [columns.find((c) => c.name === timeColumn)!, ...labels].map((c) => c.type === 'DATE');
    return reader.getRowsJS().map((cells) => {
      const row: Record<string, unknown> = {
        entity_key: keyOf(cells[0]),
        timestamp: cells[1] instanceof Date ? isoOf(cells[1], isDate[0]!) : cells[1],
      };
      labels.forEach((c, i) => {
        row[c.name] = plain(cells[i + 2], isDate[i + 1]!);
      });
      return row as LabelRow;
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('FSTORE_VALIDATION_FAILED', `The ${format.toUpperCase()} label file could not be read: ${cleanDuckMessage(err)}`);
  } finally {
    connection.closeSync();
  }
}

/**
 * Checks a label file's key and time columns before a job is queued, so a wrong column is refused
 * at once rather than as a failed job. Throws as checkLabelColumns does; a file that cannot be read
 * is refused in plain words (empty, not text), never naming its path on the server.
 */
export async function checkLabelFile(staging: StagingEngine, path: string, format: DataFormat, choice: LabelColumns = {}): Promise<void> {
  const unreadable = await explainUnreadableFile(path, format);
  if (unreadable) throw new AppError('FSTORE_VALIDATION_FAILED', unreadable.replace(/^The file/, 'The label file'));
  const connection = await staging.connect();
  try {
    const deep = format === 'json' || format === 'ndjson' ? await findDeepJson(connection, path) : null;
    if (deep) throw new AppError('FSTORE_VALIDATION_FAILED', `The ${format.toUpperCase()} label file was not read: ${deepJsonProblem(deep, path)}`);
    checkLabelColumns(await describe(connection, path, format), choice);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('FSTORE_VALIDATION_FAILED', `The ${format.toUpperCase()} label file could not be read: ${cleanDuckMessage(err)}`);
  } finally {
    connection.closeSync();
  }
}

/** The key and time columns a label file must have, and its label columns; throws naming what is wrong. */
export function checkLabelColumns<C extends { name: string; type: string }>(
  columns: C[],
  choice: LabelColumns,
  /** What holds the columns, as the error names it. */
  what = 'The label file',
): { keyColumn: C; timeColumn: C; labels: C[] } {
  const keyName = choice.keyColumn ?? 'entity_key';
  const timeName = choice.timeColumn ?? 'timestamp';
  const missing = [keyName, timeName].filter((c) => !columns.some((d) => d.name === c));
  if (missing.length > 0) {
    throw new AppError(
      'FSTORE_VALIDATION_FAILED',
      `${what} has no column ${missing.map((c) => `'${c}'`).join(' or ')} (its columns: ${columns.map((c) => c.name).join(', ')}); ` +
        'name the entity key and time columns with key_column and time_column',
      {
        missing_columns: missing,
        columns: columns.map((c) => c.name),
        // Which request fields name the missing columns: a form shows the error next to its own field.
        fields: [...(missing.includes(keyName) ? ['key_column'] : []), ...(missing.includes(timeName) ? ['time_column'] : [])],
      },
    );
  }
  const labels = columns.filter((c) => c.name !== keyName && c.name !== timeName);
  const clash = labels.filter((c) => c.name === 'entity_key' || c.name === 'timestamp');
  if (clash.length > 0) {
    const name = clash[0]!.name;
    const holds = name === 'timestamp' ? 'label time' : 'entity key';
    throw new AppError(
      'FSTORE_VALIDATION_FAILED',
      choice.keepNames ?
        `The label column '${name}' has the name the join gives the ${holds}; rename it, or choose it as the ${holds} column`
      : `The label column '${name}' would collide with the output's own '${name}' column (it holds the ${holds}); rename it`,
    );
  }
  return { keyColumn: columns.find((c) => c.name === keyName)!, timeColumn: columns.find((c) => c.name === timeName)!, labels };
}

async function describe(connection: DuckDBConnection, path: string, format: DataFormat): Promise<{ name: string; type: string }[]> {
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${LABEL_READER[format]}`, [path]);
  return described.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

/** Keys as the JSON route takes them: strings, or numbers (bigints beyond 2^53 as their digits). */
function keyOf(cell: unknown): string | number {
  if (typeof cell === 'bigint') return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString();
  if (typeof cell === 'number' || typeof cell === 'string') return cell;
  return cell === null || cell === undefined ? '' : String(cell);
}

/** A DuckDB value as JSON would carry it (the label passes through to the output unchanged). */
function plain(cell: unknown, isDate: boolean): unknown {
  if (typeof cell === 'bigint') return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString();
  if (cell instanceof Date) return isoOf(cell, isDate);
  if (Array.isArray(cell)) return cell.map((c) => plain(c, false));
  if (cell !== null && typeof cell === 'object') return JSON.parse(JSON.stringify(cell, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  return cell ?? null;
}

function isoOf(date: Date, isDate: boolean): string {
  return isDate ? date.toISOString().slice(0, 10) : date.toISOString();
}
