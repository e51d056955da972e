/**
 * The in-process engine: sources and SQL in a locked DuckDB session, TypeScript in the sandbox.
 * Every preview and run holds a slot of the user-SQL pool while it computes, with that slot's
 * limits (time, threads, memory, temp space) and its stop signal.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { PreviewColumn, SampleSpec, TransformPreview } from '@shared/api/transforms.js';
import { explainInvalidName } from '@shared/domain/names.js';
import type { DataSource, OutputFeature } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import { resolveFileSource } from '../staging/file-source.js';
import { quoteIdent } from '../staging/typed-sql.js';
import { typeFromDuck } from '../staging/staging-engine.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { groupHistoryRows, groupShape } from './feature-group-rows.js';
import { outputRoles, runOutputQuery, TIME_CONVENTIONS } from './run-output.js';
import { loadSource } from './source-loader.js';
import type { EngineRunOptions, EngineRunOutput, TransformDefinition, TransformEngine } from './transform-engine.js';
import { TransformSession, type SampleClause, type SessionColumn } from './transform-session.js';
import { TransformError, TsSandbox, type CompiledTransform } from './ts-sandbox.js';
import type { UserSqlPool } from './user-sql-pool.js';

export const DEFAULT_SAMPLE_ROWS = 10_000;
const TS_CHUNK_ROWS = 5000;
const INPUT_TABLE = '__fstore_in';

export interface DuckDbEngineDeps {
  registry: RegistryService;
  offline: OfflineStore;
  sandbox: TsSandbox;
  tmpDir: string;
  /** Bounds how many previews and runs compute at once, and for how long. */
  pool: UserSqlPool;
  /** Folders file sources may be read from (re-checked on every run: configuration can change). */
  readableDirs: () => string[];
  /** Time limit of one TypeScript call (a chunk of rows), ms. */
  tsTimeoutMs?: number;
}

interface Executed {
  session: TransformSession;
  columns: SessionColumn[];
  rowCount: number;
  sourceRows: Record<string, number>;
  keyColumn: string;
  timeColumn: string | null;
  warnings: string[];
}

export class DuckDbTransformEngine implements TransformEngine {
  readonly name = 'duckdb';

  constructor(private readonly deps: DuckDbEngineDeps) {}

  async preview(definition: TransformDefinition, sample: SampleSpec | undefined, limit: number, signal?: AbortSignal): Promise<TransformPreview> {
    const lease = await this.deps.pool.acquire('preview', signal);
    try {
      return await this.previewIn(lease.signal, definition, sample, limit);
    } finally {
      lease.release();
    }
  }

  async run(definition: TransformDefinition, options: EngineRunOptions): Promise<EngineRunOutput> {
    const { pool } = this.deps;
    if (pool.running >= pool.limits.sessions) options.onProgress?.('waiting for a SQL session', 0, null);
    const lease = await pool.acquire('run', options.signal);
    try {
      // The slot covers the computation; the output file is ingested after it is released.
      return await this.runIn(lease.signal, definition, options);
    } finally {
      lease.release();
    }
  }

  private async previewIn(signal: AbortSignal, definition: TransformDefinition, sample: SampleSpec | undefined, limit: number): Promise<TransformPreview> {
    const started = performance.now();
    const clause = sampleClause(sample);
    const executed = await this.execute(definition, clause, { signal });
    try {
      const { session, columns } = executed;
      const [rows, stats] = await Promise.all([session.rows(limit), session.stats(columns)]);
      return {
        columns: columns.map((c) => previewColumn(c, executed)),
        rows,
        row_count: executed.rowCount,
        stats,
        source_rows: executed.sourceRows,
        sample: { mode: clause.mode, rows: clause.mode === 'all' ? null : clause.rows },
        entity_key_column: executed.keyColumn,
        event_time_column: executed.timeColumn,
        elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
        warnings: executed.warnings,
      };
    } finally {
      await executed.session.close();
    }
  }

  private async runIn(signal: AbortSignal, definition: TransformDefinition, options: EngineRunOptions): Promise<EngineRunOutput> {
    const executed = await this.execute(definition, { mode: 'all' }, { ...options, signal });
    const { session, columns, keyColumn, timeColumn } = executed;
    try {
      const features = outputFeatures(columns, executed);
      options.onProgress?.('writing the output', 0, executed.rowCount);
      const { sql: body, timeColumn: writtenTime } = runOutputQuery({ keyColumn, timeColumn }, features, columns.map((c) => c.name), options);
      const counted = await session.read(`SELECT CAST(count(*) AS DOUBLE) FROM (${body})`);
      const rows = Number(counted.getRowsJS()[0]?.[0] ?? 0);
      const file = await session.exportParquet(body, 'output.parquet');
      const warnings = [...executed.warnings];
      if (executed.rowCount - rows > 0) {
        warnings.push(`${executed.rowCount - rows} of ${executed.rowCount} output rows were outside the run's time range or had no entity key, and were not written`);
      }
      return { file, rows, keyColumn, timeColumn: writtenTime, features, warnings, close: () => session.close() };
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  /**
   * Loads the sources, runs the transform into the output table, and works out the column roles.
   * `options.signal` is the pool lease's: it stops the session's SQL and every step between.
   */
  private async execute(definition: TransformDefinition, sample: SampleClause, options: EngineRunOptions & { signal: AbortSignal }): Promise<Executed> {
    const { signal } = options;
    const sources = await this.resolveSources(definition);
    const compiled = definition.language === 'typescript' ? compile(definition.code) : undefined;
    const entity = await this.deps.registry.find('entity', definition.entity);
    const defaultKey = entity?.join_key ?? `${definition.entity}_id`;
    const session = await TransformSession.open(this.deps.tmpDir, { resources: this.deps.pool.limits, signal });
    try {
      const sourceRows: Record<string, number> = {};
      for (const source of sources) {
        throwIfStopped(signal);
        const rows = await loadSource(session, source, sample, {
          registry: this.deps.registry,
          offline: this.deps.offline,
          signal,
          onProgress: (phase) => options.onProgress?.(phase, 0, null),
        });
        if (rows !== null) sourceRows[source.name] = rows;
      }
      await session.lock();
      options.onProgress?.('running the transform', 0, null);
      const warnings: string[] = [];
      if (compiled) await this.runTypeScript(session, compiled, definition, sources[0]!, defaultKey, sample, options, warnings);
      else await session.runSql(definition.code);
      const columns = await session.columns();
      const rowCount = await session.count();
      const roles = outputRoles(definition, defaultKey, columns.map((c) => c.name));
      const { keyColumn, timeColumn } = roles;
      warnings.push(...roles.warnings);
      const executed: Executed = { session, columns, rowCount, sourceRows, keyColumn, timeColumn, warnings };
      for (const c of columns) {
        if (c.name === keyColumn || c.name === timeColumn) continue;
        const problem = explainInvalidName('feature', c.name);
        if (problem) warnings.push(`Column '${c.name}' cannot be published as a feature: ${problem}`);
        else if (typeFromDuck(c) === null) warnings.push(`Column '${c.name}' is always null; cast it to a type before publishing`);
      }
      if (rowCount === 0) warnings.push('The transform returned no rows');
      return executed;
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  private async resolveSources(definition: TransformDefinition): Promise<DataSource[]> {
    const duplicate = definition.sources.find((s, i) => definition.sources.indexOf(s) !== i);
    if (duplicate) throw new AppError('FSTORE_VALIDATION_FAILED', `Source '${duplicate}' is listed twice`);
    const sources: DataSource[] = [];
    for (const name of definition.sources) {
      const source = await this.deps.registry.find('data_source', name);
      if (!source) throw new AppError('FSTORE_DATA_SOURCE_NOT_FOUND', `Data source '${name}' does not exist; register it first (POST /api/data-sources/)`);
      if (source.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Data source '${name}' is archived`);
      if (source.type === 'file') resolveFileSource(source.path!, this.deps.readableDirs(), source.format ?? undefined);
      sources.push(source);
    }
    return sources;
  }

  /**
   * Feeds the first source's rows to the transform (row function per chunk, or the batch function
   * once) and loads what it returns as the output table. The entity key and event time are carried
   * over from the input row when the transform does not return them.
   */
  private async runTypeScript(
    session: TransformSession,
    compiled: CompiledTransform,
    definition: TransformDefinition,
    source: DataSource,
    defaultKey: string,
    sample: SampleClause,
    options: EngineRunOptions,
    warnings: string[],
  ): Promise<void> {
    const carried = [definition.entity_key_column ?? defaultKey, ...(definition.event_time_column ? [definition.event_time_column] : TIME_CONVENTIONS)];
    const outFile = join(session.dir, 'ts-output.ndjson');
    const out = createWriteStream(outFile);
    let written = 0;
    let done = 0;
    const emit = async (inputs: Record<string, unknown>[], results: (Record<string, unknown> | null)[]) => {
      const lines: string[] = [];
      results.forEach((result, i) => {
        if (result === null) return;
        const input = inputs[i];
        const row: Record<string, unknown> = {};
        if (input) for (const c of carried) if (c in input && !(c in result)) row[c] = input[c];
        lines.push(JSON.stringify(Object.assign(row, result)));
      });
      written += lines.length;
      if (lines.length > 0 && !out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    };
    const { requestData } = definition;
    const rows = this.inputRows(session, source, sample);
    const inputs = requestData ? withRequestData(rows, requestData) : rows;
    const call = { timeoutMs: this.deps.tsTimeoutMs ?? 5000 };
    try {
      if (compiled.hasRow) {
        for await (const chunk of inputs) {
          if (options.signal) throwIfStopped(options.signal);
          const results = await this.deps.sandbox.runRows(compiled, chunk, call).catch(rethrowTransform);
          await emit(chunk, results);
          done += chunk.length;
          options.onProgress?.('running the transform', done, null);
        }
      } else {
        const all: Record<string, unknown>[] = [];
        for await (const chunk of inputs) all.push(...chunk);
        const results = await this.deps.sandbox.runBatch(compiled, all, call).catch(rethrowTransform);
        await emit([], results);
        if (results.length > 0 && !results.some((r) => carried.some((c) => c in r))) {
          warnings.push('A batch function must return the entity key (and event time) itself; no input columns are carried over');
        }
      }
    } finally {
      out.end();
      await once(out, 'close');
    }
    await session.loadOutput(outFile, written, [definition.entity_key_column ?? defaultKey]);
  }

  private async *inputRows(session: TransformSession, source: DataSource, sample: SampleClause): AsyncIterable<Record<string, unknown>[]> {
    if (source.type === 'feature_group') {
      // Straight from the store, the same row shape online serving builds: batch and on-demand agree.
      const shape = await groupShape(this.deps.registry, source.feature_group!);
      yield* groupHistoryRows(shape, this.deps.offline, sample.mode === 'all' ? undefined : sample.rows);
      return;
    }
    await session.run(`CREATE TEMP TABLE ${INPUT_TABLE} AS SELECT * FROM ${quoteIdent(source.name)}`);
    const total = await session.count(INPUT_TABLE);
    for (let from = 0; from < total; from += TS_CHUNK_ROWS) yield await session.rows(TS_CHUNK_ROWS, from, INPUT_TABLE);
  }
}

/** Rows with the request inputs added, as on-demand serving adds them (`onDemandRow`). */
async function* withRequestData(rows: AsyncIterable<Record<string, unknown>[]>, requestData: Record<string, unknown>): AsyncIterable<Record<string, unknown>[]> {
  for await (const chunk of rows) yield chunk.map((row) => ({ ...row, ...requestData }));
}

function previewColumn(c: SessionColumn, executed: Executed): PreviewColumn {
  const role = c.name === executed.keyColumn ? 'entity_key' : c.name === executed.timeColumn ? 'event_time' : 'feature';
  return { name: c.name, duck_type: c.duckType, value_type: role === 'feature' ? typeFromDuck(c) : null, role };
}

/** The feature columns of an output, or why one of them cannot be published. */
export function outputFeatures(columns: SessionColumn[], executed: Pick<Executed, 'keyColumn' | 'timeColumn'>): OutputFeature[] {
  const features: OutputFeature[] = [];
  for (const c of columns) {
    if (c.name === executed.keyColumn || c.name === executed.timeColumn) continue;
    const problem = explainInvalidName('feature', c.name);
    if (problem) throw new AppError('FSTORE_TRANSFORM_OUTPUT', `Output column '${c.name}' cannot become a feature: ${problem}; alias it in the transform`);
    const valueType = typeFromDuck(c);
    if (valueType === null) throw new AppError('FSTORE_TRANSFORM_OUTPUT', `Output column '${c.name}' is always null, so its type is unknown; cast it (for example CAST(NULL AS DOUBLE))`);
    features.push({ name: c.name, value_type: valueType, duck_type: c.duckType });
  }
  if (features.length === 0) throw new AppError('FSTORE_TRANSFORM_OUTPUT', 'The output has no feature columns besides the entity key and event time');
  return features;
}

function sampleClause(sample: SampleSpec | undefined): SampleClause {
  const mode = sample?.mode ?? 'head';
  if (mode === 'all') return { mode: 'all' };
  return { mode, rows: sample?.rows ?? DEFAULT_SAMPLE_ROWS, seed: sample?.seed ?? 42 };
}

function compile(code: string): CompiledTransform {
  try {
    return TsSandbox.compile(code);
  } catch (err) {
    return rethrowTransform(err);
  }
}

/** TransformError -> the API error, with the location the studio marks in the editor. */
export function rethrowTransform(err: unknown): never {
  if (err instanceof TransformError) {
    const { line, column, ...rest } = err.details;
    throw new AppError(err.code, err.message, {
      ...rest,
      message: err.message,
      ...(line !== undefined ? { location: { line, column: column ?? 1 } } : {}),
    });
  }
  throw err;
}

/** Between steps: the lease's reason (time limit, cancel, shutdown) once it was stopped. */
function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new AppError('FSTORE_CANCELLED', 'The transform run was cancelled; nothing was written');
}
