import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { AppError } from '../errors/app-error.js';
import type { JobContext } from '../jobs/job-service.js';
import type { WatermarkStore } from '../state/watermark-store.js';
import { redactUrl } from '../storage/redact-url.js';
import { secretScrubber, urlCredentials, withoutSecrets } from '../storage/url-credentials.js';
import { Mutex } from '../util/mutex.js';
import type { IngestService } from './ingest-service.js';
import { quoteIdent } from '../staging/typed-sql.js';

/** A PostgreSQL table or query, pulled incrementally by a timestamp column (validated, see `parseSqlSource`). */
export interface SqlSource {
  connection: string;
  /** Each part already validated; quoted when used. */
  table: { schema: string | undefined; name: string } | undefined;
  /** The user's SELECT, trimmed and without trailing semicolons. */
  query: string | undefined;
  timestampColumn: string;
  keyColumn: string | undefined;
  full: boolean;
}

export interface SqlSourceRequest {
  connection: string;
  table?: string | undefined;
  query?: string | undefined;
  timestamp_column: string;
  key_column?: string | undefined;
  full?: boolean | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER_MAX = 63;
const STATEMENT_TIMEOUT_MS = 10 * 60 * 1000;
const CONNECT_TIMEOUT_MS = 10_000;
const FETCH_ROWS = 2000;
const PROGRESS_EVERY_ROWS = 1000;
/** date, timestamp, timestamptz: the only column types a watermark can order by. */
const TEMPORAL_OIDS = new Set([1082, 1114, 1184]);

/** Validates a request before any job exists: a bad identifier or URL is a 400, never SQL. */
export function parseSqlSource(body: SqlSourceRequest): SqlSource {
  const invalid = (message: string): never => {
    throw new AppError('FSTORE_VALIDATION_FAILED', message);
  };
  let url: URL | undefined;
  try {
    url = new URL(body.connection);
  } catch {
    // The string is not echoed: it may carry a password.
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    invalid('connection must be a postgres:// or postgresql:// URL');
  }
  // A password is used for this pull and never kept (see describeSqlSource); a file is refused:
  // a request must not make the service read files of its machine (TLS keys, password files).
  const file = urlCredentials(url!).find((c) => c.kind === 'file');
  if (file) invalid(`connection names a file on the service's machine (${file.where}); a SQL pull may not make the service read files: leave TLS and password files out of the URL`);
  if ((body.table === undefined) === (body.query === undefined)) invalid('Give exactly one of table or query');
  let table: SqlSource['table'];
  if (body.table !== undefined) {
    const parts = body.table.split('.');
    if (parts.length > 2 || !parts.every(isIdentifier)) {
      invalid(`table '${body.table}' is not a valid name: use table or schema.table, each part letters, digits and underscores, not starting with a digit`);
    }
    table = parts.length === 2 ? { schema: parts[0], name: parts[1]! } : { schema: undefined, name: parts[0]! };
  }
  const query = body.query === undefined ? undefined : userQuery(body.query);
  if (!isIdentifier(body.timestamp_column)) {
    invalid(`timestamp_column '${body.timestamp_column}' is not a valid column name: letters, digits and underscores, not starting with a digit`);
  }
  return { connection: body.connection, table, query, timestampColumn: body.timestamp_column, keyColumn: body.key_column, full: body.full ?? false };
}

/**
 * A user's SELECT as it is run (trimmed, no trailing semicolons), or a 400. What keeps it read-only
 * and one statement is how it runs (exportPostgresRows: READ ONLY, the extended protocol).
 */
export function userQuery(text: string, field = 'query'): string {
  const query = text.trim().replace(/[\s;]+$/, '');
  if (query.length === 0) throw new AppError('FSTORE_VALIDATION_FAILED', `${field} is empty`);
  return query;
}

/** The source as shown in job titles and params: no user, no password, no credential parameter. */
export function describeSqlSource(source: SqlSource): { connection: string; source: string } {
  return { connection: redactUrl(source.connection), source: source.table ? tableSql(source.table) : 'query' };
}

/**
 * Pulls new rows of a PostgreSQL table or query into (entity, group): rows whose timestamp column
 * is past the watermark, streamed through a cursor into an NDJSON temp file, then ingested like an
 * uploaded file. The watermark moves only after a successful ingest, so a failure re-reads.
 */
export class SqlSourcePuller {
  /** Pulls of the same source run one after another, so their watermarks never race. */
  private readonly locks = new Map<string, { mutex: Mutex; pending: number }>();

  constructor(private readonly deps: { ingest: IngestService; watermarks: WatermarkStore; tmpDir: string }) {}

  pull(entity: string, group: string, source: SqlSource, actor: string, job: JobContext): Promise<Record<string, unknown>> {
    const key = watermarkKey(entity, group, source);
    let lock = this.locks.get(key);
    if (!lock) this.locks.set(key, (lock = { mutex: new Mutex(), pending: 0 }));
    if (lock.pending++ > 0) job.progress({ phase: 'waiting for the previous pull of this source', rowsDone: 0, rowsTotal: null });
    const held = lock;
    // Across replicas on the shared backends, the watermark's lease orders them the same way.
    const onWait = () => job.progress({ phase: 'waiting for another replica’s pull of this source', rowsDone: 0, rowsTotal: null });
    const pull = () => this.deps.watermarks.exclusive(key, { signal: job.signal, onWait }, (signal) => this.pullUnlocked(entity, group, source, actor, { ...job, signal }, key));
    return held.mutex.run(pull).finally(() => {
      if (--held.pending === 0) this.locks.delete(key);
    });
  }

  private async pullUnlocked(entity: string, group: string, source: SqlSource, actor: string, job: JobContext, key: string): Promise<Record<string, unknown>> {
    if (job.signal.aborted) throw new AppError('FSTORE_CANCELLED', 'The pull was cancelled before it started; nothing was written');
    const stored = await this.deps.watermarks.get(key);
    const before = typeof stored === 'string' ? stored : null;
    const file = join(this.deps.tmpDir, `sql-pull-${randomUUID()}.ndjson`);
    try {
      const { rows, last } = await readSource(source, source.full ? null : before, file, job);
      const summary = { rows_pulled: rows, watermark_before: before, full: source.full, ...describeSqlSource(source) };
      if (rows === 0) {
        return {
          entity,
          feature_group: group,
          rows: 0,
          values_written: 0,
          online_values_written: 0,
          warnings: [before === null || source.full ? 'The source has no rows' : `No rows with ${source.timestampColumn} after ${before}`],
          ...summary,
          watermark_after: before,
        };
      }
      const report = await this.deps.ingest.ingestFile(entity, group, file, 'ndjson', actor, {
        signal: job.signal,
        onProgress: job.progress,
        timeColumn: source.timestampColumn,
        ...(source.keyColumn === undefined ? {} : { keyColumn: source.keyColumn }),
      });
      await this.deps.watermarks.set(key, last!);
      return { ...report, ...summary, watermark_after: last };
    } finally {
      await rm(file, { force: true });
    }
  }
}

/** Per (entity, group, source): connection without secrets, table or query, timestamp column. */
export function watermarkKey(entity: string, group: string, source: SqlSource): string {
  const url = withoutSecrets(new URL(source.connection));
  const identity = JSON.stringify([url.toString(), source.table ? tableSql(source.table) : null, source.query ?? null, source.timestampColumn]);
  return `sql_pull/${entity}/${group}/${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

/** Streams the rows past `watermark` (all when null) into `file`; returns the count and the last timestamp. */
async function readSource(source: SqlSource, watermark: string | null, file: string, job: JobContext): Promise<{ rows: number; last: string | undefined }> {
  return exportPostgresRows(source, { watermark, timestampColumn: source.timestampColumn }, file, job);
}

export interface PostgresReadOptions {
  /** Incremental reads: rows whose timestamp column is past the watermark (all when null), in its order. */
  timestampColumn?: string;
  watermark?: string | null;
  /** At most this many rows: the first ones, or a random sample of the source when `random`. */
  limit?: number;
  random?: boolean;
  /** statement_timeout of the read, ms (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * Streams a PostgreSQL table or query, read-only, into an NDJSON file; returns the count and the
 * last value of the timestamp column when one is given.
 */
export async function exportPostgresRows(
  source: Pick<SqlSource, 'connection' | 'table' | 'query'>,
  options: PostgresReadOptions,
  file: string,
  job: Pick<JobContext, 'progress' | 'signal'>,
): Promise<{ rows: number; last: string | undefined; columns: { name: string; type: string }[] }> {
  const url = new URL(source.connection);
  const where = `${url.hostname || url.searchParams.get('host') || 'localhost'}:${url.port || '5432'}${url.pathname || ''}`;
  const scrub = secretScrubber([source.connection]);
  job.progress({ phase: 'connecting to source', rowsDone: 0, rowsTotal: null });
  let client: pg.Client | undefined;
  try {
    // Inside the try: parsing the URL can fail too (a TLS file named by the operator's env: URL).
    client = new pg.Client({
      connectionString: source.connection,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'fstore-sql-pull',
      types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
    });
    client.on('error', () => undefined); // a dropped connection fails the running query instead
    await client.connect();
  } catch (err) {
    await client?.end().catch(() => undefined);
    throw new AppError('FSTORE_SOURCE_UNAVAILABLE', `Could not connect to PostgreSQL at ${where}: ${scrub(messageOf(err))}`);
  }
  const from = source.table ? `${tableSql(source.table)} src` : `(\n${source.query}\n) src`;
  const watermark = options.watermark ?? null;
  let phase = 'preparing the source query';
  try {
    // The user's SQL runs read-only: a query that writes fails instead of changing the source.
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs ?? STATEMENT_TIMEOUT_MS))}`);
    await client.query("SET LOCAL TimeZone = 'UTC'");
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
    await client.query("SET LOCAL IntervalStyle = 'iso_8601'");
    // A bound parameter selects the extended protocol (as the cursor below uses): one statement
    // only, so a query cannot close the subquery, COMMIT and write outside READ ONLY.
    const probe = await client.query({ text: `SELECT * FROM ${from} LIMIT $1`, values: [0], rowMode: 'array' });
    const names = probe.fields.map((f) => f.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `The source has two columns named '${duplicate}'; alias them in the query`);
    const typeNames = await client.query<{ t: string }>('SELECT format_type(oid, NULL) AS t FROM unnest($1::oid[]) WITH ORDINALITY AS u(oid, n) ORDER BY n', [
      probe.fields.map((f) => f.dataTypeID),
    ]);
    const columns = names.map((name, i) => ({ name, type: typeNames.rows[i]?.t ?? 'unknown' }));
    let sql = `SELECT * FROM ${from}`;
    const params: unknown[] = [];
    let tsIndex = -1;
    if (options.timestampColumn !== undefined) {
      const tsField = probe.fields.find((f) => f.name === options.timestampColumn);
      if (!tsField) {
        throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `timestamp_column '${options.timestampColumn}' is not in the source; its columns are ${names.map((n) => `'${n}'`).join(', ')}`);
      }
      if (!TEMPORAL_OIDS.has(tsField.dataTypeID)) {
        const type = columns[names.indexOf(options.timestampColumn)]!.type;
        throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `timestamp_column '${options.timestampColumn}' is of type ${type}; it must be a date, timestamp or timestamptz`);
      }
      tsIndex = names.indexOf(options.timestampColumn);
      const ts = quote(options.timestampColumn);
      if (watermark === null) sql += ` WHERE ${ts} IS NOT NULL ORDER BY ${ts}`;
      else {
        params.push(watermark);
        sql += ` WHERE ${ts} > $1 ORDER BY ${ts}`;
      }
    } else if (options.random) {
      sql += ' ORDER BY random()';
    }
    if (options.limit !== undefined) sql += ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
    phase = 'reading the source';
    job.progress({ phase: 'reading source', rowsDone: 0, rowsTotal: null });
    const stream = client.query(new QueryStream(sql, params, { batchSize: FETCH_ROWS, rowMode: 'array' }));
    let rows = 0;
    let last: string | undefined;
    const toNdjson = new Transform({
      writableObjectMode: true,
      transform(row: unknown[], _enc, callback) {
        const record: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) record[names[i]!] = jsonValue(row[i]);
        if (tsIndex >= 0) last = record[names[tsIndex]!] as string;
        rows++;
        if (rows % PROGRESS_EVERY_ROWS === 0) job.progress({ phase: 'reading source', rowsDone: rows, rowsTotal: null });
        callback(null, `${JSON.stringify(record)}\n`);
      },
    });
    await pipeline(stream, toNdjson, createWriteStream(file), { signal: job.signal });
    job.progress({ phase: 'reading source', rowsDone: rows, rowsTotal: null });
    await client.query('COMMIT');
    return { rows, last, columns };
  } catch (err) {
    if (job.signal.aborted) throw new AppError('FSTORE_CANCELLED', 'The read was cancelled; nothing was written');
    if (err instanceof AppError) throw err;
    throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `PostgreSQL at ${where} failed while ${phase}: ${scrub(messageOf(err))}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Parses `table` or `schema.table` into validated parts, or explains why it is not a table name. */
export function parseTableName(text: string): { table: NonNullable<SqlSource['table']> } | { problem: string } {
  const parts = text.split('.');
  if (parts.length > 2 || !parts.every(isIdentifier)) {
    return { problem: `table '${text}' is not a valid name: use table or schema.table, each part letters, digits and underscores, not starting with a digit` };
  }
  return { table: parts.length === 2 ? { schema: parts[0], name: parts[1]! } : { schema: undefined, name: parts[0]! } };
}

function isIdentifier(part: string | undefined): boolean {
  return part !== undefined && part.length <= IDENTIFIER_MAX && IDENTIFIER.test(part);
}

/** Identifiers are validated first (parseTableName); quoting keeps case and reserved words intact. */
const quote = quoteIdent;

export function tableSql(table: NonNullable<SqlSource['table']>): string {
  return table.schema === undefined ? quote(table.name) : `${quote(table.schema)}.${quote(table.name)}`;
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(messageOf).join('; ');
  return err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err);
}

// ---- PostgreSQL text values -> NDJSON values ----

type AnyTypeParser = (oid: number, format?: 'text' | 'binary') => (text: string) => unknown;
/** pg's own parsers by OID (its typings only list the scalar built-ins' OIDs). */
const defaultParser = pg.types.getTypeParser as AnyTypeParser;
const TEXT_ARRAY_OID = 1009;
const textArray = defaultParser(TEXT_ARRAY_OID, 'text');

/** Integers and decimals as numbers when a double holds them exactly enough, else the exact string. */
function safeNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(n) ? n : text;
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= 15 ? n : text;
}

function finiteOrText(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** `2025-01-10 10:00:00.123456+00` (ISO DateStyle, UTC session) -> `2025-01-10T10:00:00.123456Z`. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?:\+00(?::?00)?)?$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}

function arrayOf(convert: (text: string) => unknown): (text: string) => unknown {
  const map = (v: unknown): unknown => (Array.isArray(v) ? v.map(map) : typeof v === 'string' ? convert(v) : v);
  return (text) => map(textArray(text));
}

const identity = (text: string) => text;
const PARSERS = new Map<number, (text: string) => unknown>([
  [20, safeNumber], // int8
  [1700, safeNumber], // numeric
  [700, finiteOrText], // float4
  [701, finiteOrText], // float8
  [1082, identity], // date: already YYYY-MM-DD
  [1114, isoTimestamp], // timestamp (taken as UTC)
  [1184, isoTimestamp], // timestamptz
  [1186, identity], // interval, ISO 8601 by IntervalStyle
  [17, identity], // bytea as \x hex text
  [1016, arrayOf(safeNumber)],
  [1231, arrayOf(safeNumber)],
  [1021, arrayOf(finiteOrText)],
  [1022, arrayOf(finiteOrText)],
  [1182, arrayOf(identity)],
  [1115, arrayOf(isoTimestamp)],
  [1185, arrayOf(isoTimestamp)],
]);

function typeParser(oid: number, format?: string): (text: string) => unknown {
  if (format === 'binary') return defaultParser(oid, 'binary');
  return PARSERS.get(oid) ?? defaultParser(oid, 'text');
}

/** What the default parsers may still return that JSON would mangle. */
function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return safeNumber(value.toString());
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
