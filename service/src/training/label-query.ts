/**
 * Label rows from a query on a registered data source, for point-in-time training sets without
 * exporting a file first. A PostgreSQL source runs the query on its own database (read-only, one
 * statement, as SQL pulls do: exportPostgresRows), with the source itself visible under its name; a
 * file or feature-group source runs it in a locked DuckDB session of the user-SQL pool, the source
 * loaded under its name, as transforms do. Both are bounded by labelQueryMaxRows and
 * labelQueryTimeoutMs. The rows land in a temp file that the label-file path then reads.
 */
import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import { exportPostgresRows, tableSql, userQuery } from '../ingest/sql-source-pull.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { DataFormat } from '../staging/data-format.js';
import { resolveFileSource } from '../staging/file-source.js';
import { quoteIdent } from '../staging/typed-sql.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { loadSource, postgresTarget, resolveConnection } from '../transforms/source-loader.js';
import { OUTPUT_TABLE, TransformSession } from '../transforms/transform-session.js';
import type { UserSqlPool } from '../transforms/user-sql-pool.js';
import { checkLabelColumns, type LabelColumns } from './label-file.js';

export interface LabelQuery {
  source: string;
  query: string;
}

export interface LabelQueryLimits {
  maxRows: number;
  timeoutMs: number;
}

export interface LabelQueryDeps {
  registry: RegistryService;
  offline: OfflineStore;
  pool: UserSqlPool;
  /** Folders file sources may be read from (checked on every query: configuration can change). */
  readableDirs: () => string[];
  tmpDir: string;
  limits: LabelQueryLimits;
}

/** A query's rows as a label file; `remove` deletes it. */
export interface LabelQueryFile {
  path: string;
  format: DataFormat;
  rows: number;
  remove(): Promise<void>;
}

export class LabelQueries {
  constructor(private readonly deps: LabelQueryDeps) {}

  /** Before a job is queued: the source exists, the query parses and runs, its result has the key and time columns. */
  async check(labels: LabelQuery, choice: LabelColumns): Promise<void> {
    const file = await this.execute(labels, choice, 0, new AbortController().signal);
    await file.remove();
  }

  /** Runs the query into a label file (every row, up to labelQueryMaxRows). */
  run(labels: LabelQuery, choice: LabelColumns, signal: AbortSignal): Promise<LabelQueryFile> {
    return this.execute(labels, choice, this.deps.limits.maxRows + 1, signal);
  }

  /** `limit` rows at most: 0 to read the columns only, maxRows + 1 to tell a result past the limit. */
  private async execute(labels: LabelQuery, choice: LabelColumns, limit: number, signal: AbortSignal): Promise<LabelQueryFile> {
    const query = userQuery(labels.query, 'labels.query');
    const source = await this.source(labels.source);
    const result = source.type === 'postgres' ? await this.onPostgres(source, query, limit, signal) : await this.onDuckDb(source, query, limit, signal);
    try {
      checkLabelColumns(result.columns, choice, `The result of the label query on '${source.name}'`);
      if (result.file.rows > this.deps.limits.maxRows) throw rowLimitError(this.deps.limits.maxRows);
      return result.file;
    } catch (err) {
      await result.file.remove();
      throw err;
    }
  }

  private async source(name: string): Promise<DataSource> {
    const source = await this.deps.registry.find('data_source', name);
    if (!source) {
      throw new AppError('FSTORE_DATA_SOURCE_NOT_FOUND', `Data source '${name}' does not exist; register it first (POST /api/data-sources/)`, [
        { path: '/labels/source', message: 'no such data source' },
      ]);
    }
    if (source.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Data source '${name}' is archived`);
    return source;
  }

  /**
   * The query on the source's database: read-only, one statement (bound parameters select the
   * extended protocol), statement_timeout, and the source itself as a CTE named like it.
   */
  private async onPostgres(source: DataSource, query: string, limit: number, signal: AbortSignal): Promise<{ file: LabelQueryFile; columns: { name: string; type: string }[] }> {
    const target = postgresTarget(source);
    const relation = target.table ? `SELECT * FROM ${tableSql(target.table)}` : target.query!;
    const sql = `WITH ${quoteIdent(source.name)} AS (\n${relation}\n)\nSELECT * FROM (\n${query}\n) fstore_labels`;
    const path = join(this.deps.tmpDir, `label-query-${randomUUID()}.ndjson`);
    const timeoutMs = this.deps.limits.timeoutMs;
    try {
      const read = await exportPostgresRows({ connection: resolveConnection(source.connection!), table: undefined, query: sql }, { limit, timeoutMs }, path, {
        signal,
        progress: () => undefined,
      });
      return { file: { path, format: 'ndjson', rows: read.rows, remove: () => rm(path, { force: true }) }, columns: read.columns };
    } catch (err) {
      await rm(path, { force: true });
      if (err instanceof AppError && /statement timeout/i.test(err.message)) throw timeLimitError(timeoutMs);
      throw err;
    }
  }

  /** A file or feature-group source: a locked DuckDB session of the user-SQL pool, the source loaded under its name. */
  private async onDuckDb(source: DataSource, query: string, limit: number, signal: AbortSignal): Promise<{ file: LabelQueryFile; columns: { name: string; type: string }[] }> {
    if (source.type === 'file') resolveFileSource(source.path!, this.deps.readableDirs(), source.format ?? undefined);
    // A check waits for a session as a preview does (bounded, 503 when busy); a job's run waits its turn.
    const lease = await this.deps.pool.acquire(limit === 0 ? 'preview' : 'run', signal);
    const timeoutMs = this.deps.limits.timeoutMs;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(timeLimitError(timeoutMs)), timeoutMs);
    let session: TransformSession | undefined;
    try {
      session = await TransformSession.open(this.deps.tmpDir, { resources: this.deps.pool.limits, signal: AbortSignal.any([lease.signal, timer.signal]) });
      // Only the columns are needed for a check: no source is read in full for them.
      const sample = limit === 0 ? ({ mode: 'head', rows: 1, seed: 0 } as const) : ({ mode: 'all' } as const);
      await loadSource(session, source, sample, { registry: this.deps.registry, offline: this.deps.offline, signal: lease.signal });
      await session.runSql(`SELECT * FROM (\n${query}\n) LIMIT ${limit}`);
      const columns = (await session.columns()).map((c) => ({ name: c.name, type: c.duckType }));
      const rows = await session.count();
      const exported = await session.exportParquet(`SELECT * FROM ${OUTPUT_TABLE}`, 'labels.parquet');
      // The file outlives the session's folder (removed on close).
      const path = join(this.deps.tmpDir, `label-query-${randomUUID()}.parquet`);
      await rename(exported, path);
      return { file: { path, format: 'parquet', rows, remove: () => rm(path, { force: true }) }, columns };
    } finally {
      clearTimeout(timeout);
      await session?.close();
      lease.release();
    }
  }
}

function rowLimitError(maxRows: number): AppError {
  return new AppError(
    'FSTORE_LIMIT_EXCEEDED',
    `The label query returned more than ${maxRows.toLocaleString('en-US')} rows (labelQueryMaxRows); narrow the query (a WHERE on time, a LIMIT) or ask an administrator to raise labelQueryMaxRows`,
    { limit: 'labelQueryMaxRows', value: maxRows },
  );
}

function timeLimitError(timeoutMs: number): AppError {
  return new AppError(
    'FSTORE_LIMIT_EXCEEDED',
    `The label query ran past its time limit of ${timeoutMs / 1000} s (labelQueryTimeoutMs) and was stopped; narrow the query or ask an administrator to raise labelQueryTimeoutMs`,
    { limit: 'labelQueryTimeoutMs', value: timeoutMs },
  );
}
