/**
 * A label file (CSV, Parquet, JSON, NDJSON) prepared for the engine's point-in-time join: read and
 * checked in DuckDB and written as a Parquet file of
 * `row_idx, entity_key, label_time_ms, "timestamp", <labels...>` (file order, key trimmed to text,
 * time as TIMESTAMPTZ), so the labels never pass through JavaScript. Errors read as those of the
 * JSON route (row numbers are 1-based over data rows).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import type { DataFormat } from '../staging/data-format.js';
import { deepJsonProblem, findDeepJson } from '../staging/json-file-depth.js';
import { cleanDuckMessage, type StagingEngine } from '../staging/staging-engine.js';
import { quoteIdent, quoteLiteral } from '../staging/typed-sql.js';
import { MAX_ENTITY_KEY_BYTES, MAX_ENTITY_KEY_CHARS } from '../util/entity-keys.js';
import { checkLabelColumns, LABEL_READER, type LabelColumns } from './label-file.js';

const MAX_ROW_ERRORS = 100;

export interface LabelSet {
  /** The Parquet file for OfflineStore.pointInTimeToFile. */
  path: string;
  rows: number;
  /** Label columns besides the key and time, in file order. */
  labelColumns: string[];
}

export async function stageLabelSet(staging: StagingEngine, path: string, format: DataFormat, choice: LabelColumns = {}): Promise<LabelSet> {
  const connection = await staging.connect();
  try {
    // DuckDB's JSON reader crashes the process on a deep enough document: checked first.
    const deep = format === 'json' || format === 'ndjson' ? await findDeepJson(connection, path) : null;
    if (deep) throw new AppError('FSTORE_VALIDATION_FAILED', `The ${format.toUpperCase()} label file was not read: ${deepJsonProblem(deep, path)}`);
    try {
      await connection.run(`CREATE TEMP TABLE labels_in AS SELECT * FROM ${LABEL_READER[format]}`, [path]);
    } catch (err) {
      throw new AppError('FSTORE_VALIDATION_FAILED', `The ${format.toUpperCase()} label file could not be read: ${cleanDuckMessage(err)}`);
    }
    const described = await connection.runAndReadAll('DESCRIBE labels_in');
    const columns = described.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
    const { keyColumn, timeColumn, labels } = checkLabelColumns(columns, choice);
    const rows = Number((await connection.runAndReadAll('SELECT CAST(count(*) AS DOUBLE) FROM labels_in')).getRowsJS()[0]?.[0] ?? 0);
    if (rows === 0) return { path: '', rows: 0, labelColumns: labels.map((c) => c.name) };

    const key = `trim(CAST(${quoteIdent(keyColumn.name)} AS VARCHAR))`;
    const timeType = timeColumn.type.toUpperCase();
    const rawTime = quoteIdent(timeColumn.name);
    const time =
      timeType.startsWith('TIMESTAMP') || timeType === 'DATE' ? `CAST(${rawTime} AS TIMESTAMPTZ)`
      : timeType === 'VARCHAR' ? `TRY_CAST(trim(${rawTime}) AS TIMESTAMPTZ)`
      : 'CAST(NULL AS TIMESTAMPTZ)';
    await checkRows(connection, key, time, rawTime);
    const out = join(staging.tempDir, `labels-${randomUUID()}.parquet`);
    const passthrough = labels.map((c) => quoteIdent(c.name));
    await connection.run(
      `COPY (SELECT CAST(rowid AS BIGINT) AS row_idx, ${key} AS entity_key, epoch_ms(${time}) AS label_time_ms, ${time} AS "timestamp"
             ${passthrough.map((c) => `, ${c}`).join('')}
             FROM labels_in ORDER BY rowid) TO ${quoteLiteral(out)} (FORMAT parquet)`,
    );
    return { path: out, rows, labelColumns: labels.map((c) => c.name) };
  } finally {
    connection.closeSync();
  }
}

/** Missing or unstorable keys and unreadable times, reported like the JSON route's label rows. */
async function checkRows(connection: Awaited<ReturnType<StagingEngine['connect']>>, key: string, time: string, rawTime: string): Promise<void> {
  const problems = [
    { when: `${key} IS NULL OR ${key} = ''`, message: `'entity_key is missing'` },
    { when: `contains(${key}, chr(0))`, message: `'the entity key contains the character U+0000, which no store can keep'` },
    { when: `length(${key}) > ${MAX_ENTITY_KEY_CHARS} OR strlen(${key}) > ${MAX_ENTITY_KEY_BYTES}`, message: `'the entity key is too long'` },
    { when: `${time} IS NULL`, message: `'timestamp ''' || coalesce(CAST(${rawTime} AS VARCHAR), 'null') || ''' is not a date or ISO-8601 timestamp'` },
  ];
  const cases = problems.map((p) => `WHEN ${p.when} THEN ${p.message}`).join(' ');
  const bad = await connection.runAndReadAll(
    `SELECT CAST(rowid + 1 AS DOUBLE) AS row, CASE ${cases} END AS message, CAST(count(*) OVER () AS DOUBLE) AS total
     FROM labels_in WHERE ${problems.map((p) => `(${p.when})`).join(' OR ')} ORDER BY rowid LIMIT ${MAX_ROW_ERRORS}`,
  );
  const errors = bad.getRowsJS().map(([row, message]) => ({ row: Number(row), column: String(message).startsWith('timestamp') ? 'timestamp' : 'entity_key', message: String(message) }));
  if (errors.length === 0) return;
  const total = Number(bad.getRowsJS()[0]?.[2] ?? errors.length);
  const first = errors[0]!;
  throw new AppError('FSTORE_VALIDATION_FAILED', `${total} label row problems; first: row ${first.row}: ${first.message}`, { errors });
}
