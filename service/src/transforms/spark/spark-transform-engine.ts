/**
 * Runs published SQL transforms on Apache Spark (docs/spark.md). The Spark job reads the sources
 * where they are (files in place, PostgreSQL through JDBC), translates the DuckDB SQL with sqlglot
 * and writes Parquet; the output then takes the embedded engine's path (same column roles, same
 * run-window filter) into IngestService, so offline and online writes stay event-time aware.
 * Previews and publish plans stay on the embedded engine: they read samples, where Spark's start-up
 * would dominate.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from '@shared/domain/schemas.js';
import { AppError } from '../../errors/app-error.js';
import { resolveFileSource } from '../../staging/file-source.js';
import { quoteIdent, quoteLiteral } from '../../staging/typed-sql.js';
import type { RegistryService } from '../../registry/registry-service.js';
import { outputFeatures } from '../duckdb-transform-engine.js';
import { outputRoles, runOutputQuery } from '../run-output.js';
import { postgresTarget, resolveConnection } from '../source-loader.js';
import type { EngineRunOptions, EngineRunOutput, TransformDefinition } from '../transform-engine.js';
import { OUTPUT_TABLE, TransformSession } from '../transform-session.js';
import { runSparkJob, type SparkSettings } from './spark-submit.js';


export interface SparkEngineDeps {
  registry: RegistryService;
  settings: SparkSettings;
  tmpDir: string;
  readableDirs: () => string[];
}

/** A source as the Spark job reads it. */
type SparkSource =
  | { name: string; type: 'parquet' | 'csv'; path: string }
  | { name: string; type: 'jdbc'; url_env: string; table?: string; query?: string };

export class SparkTransformEngine {
  readonly name = 'spark';

  constructor(private readonly deps: SparkEngineDeps) {}

  /** Why `definition` cannot run on Spark, or undefined when it can. */
  async unsupported(definition: TransformDefinition): Promise<string | undefined> {
    if (definition.language !== 'sql') return 'TypeScript transforms run on the embedded engine only (the sandbox is in-process)';
    for (const source of await this.sources(definition)) {
      if (source.type === 'feature_group') return `source '${source.name}' reads a feature group, which only the embedded engine reads`;
      if (source.type === 'file' && source.format !== 'parquet' && source.format !== 'csv') {
        return `source '${source.name}' is ${source.format ?? 'a file of unknown format'}; Spark runs read Parquet, CSV and PostgreSQL sources`;
      }
    }
    return undefined;
  }

  /** Bytes of the transform's file sources (PostgreSQL sources count 0: their size is not known up front). */
  async sourceBytes(definition: TransformDefinition): Promise<number> {
    let total = 0;
    for (const source of await this.sources(definition)) {
      if (source.type !== 'file') continue;
      const { path } = resolveFileSource(source.path!, this.deps.readableDirs(), source.format ?? undefined);
      for (const file of await expand(path, this.deps.tmpDir)) total += (await stat(file)).size;
    }
    return total;
  }

  async run(definition: TransformDefinition, options: EngineRunOptions): Promise<EngineRunOutput & { sparkSql: string[] }> {
    const problem = await this.unsupported(definition);
    if (problem) throw new AppError('FSTORE_VALIDATION_FAILED', `This transform cannot run on Spark: ${problem}`);
    const env: Record<string, string> = {};
    const sources = (await this.sources(definition)).map((s, i) => this.sparkSource(s, i, env));
    const entity = await this.deps.registry.find('entity', definition.entity);
    const workDir = join(this.deps.tmpDir, `spark-${randomUUID()}`);
    await mkdir(workDir, { recursive: true });
    const sparkOutput = join(workDir, 'spark-output');
    let session: TransformSession | undefined;
    try {
      options.onProgress?.('starting Spark', 0, null);
      const ran = await runSparkJob(this.deps.settings, { mode: 'transform', sources, sql: definition.code, output: sparkOutput }, workDir, {
        signal: options.signal,
        env,
        onProgress: (phase, done, total) => options.onProgress?.(phase, done, total),
        onLog: options.onLog,
      });
      options.onProgress?.('reading the Spark output', 0, null);
      session = await TransformSession.open(this.deps.tmpDir);
      await session.run(`CREATE TEMP VIEW ${OUTPUT_TABLE} AS SELECT * FROM read_parquet(${quoteLiteral(join(sparkOutput, '*.parquet'))})`);
      const output = await finishOutput(session, definition, entity?.join_key ?? `${definition.entity}_id`, options);
      const opened = session;
      return {
        ...output,
        sparkSql: ran.sql,
        close: async () => {
          await opened.close();
          await rm(workDir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      await session?.close();
      await rm(workDir, { recursive: true, force: true });
      throw err;
    }
  }

  private async sources(definition: TransformDefinition): Promise<DataSource[]> {
    const sources: DataSource[] = [];
    for (const name of definition.sources) {
      const source = await this.deps.registry.find('data_source', name);
      if (!source) throw new AppError('FSTORE_DATA_SOURCE_NOT_FOUND', `Data source '${name}' does not exist; register it first (POST /api/data-sources/)`);
      if (source.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Data source '${name}' is archived`);
      sources.push(source);
    }
    return sources;
  }

  /** The job's view of a source; a PostgreSQL URL goes into `env` (the job's environment), not the spec. */
  private sparkSource(source: DataSource, index: number, env: Record<string, string>): SparkSource {
    if (source.type === 'postgres') {
      const urlEnv = `FSTORE_SPARK_SOURCE_${index}`;
      env[urlEnv] = resolveConnection(source.connection!);
      const target = postgresTarget(source);
      return target.table
        ? { name: source.name, type: 'jdbc', url_env: urlEnv, table: [target.table.schema, target.table.name].filter((p) => p !== undefined).map(quoteIdent).join('.') }
        : { name: source.name, type: 'jdbc', url_env: urlEnv, query: target.query! };
    }
    const { path } = resolveFileSource(source.path!, this.deps.readableDirs(), source.format ?? undefined);
    return { name: source.name, type: source.format === 'csv' ? 'csv' : 'parquet', path };
  }
}

/**
 * The output's column roles and the run's filter, as the embedded engine applies them: rows without
 * an entity key or outside [start, end] are dropped, and an output without event times is stamped.
 */
async function finishOutput(
  session: TransformSession,
  definition: TransformDefinition,
  defaultKey: string,
  options: EngineRunOptions,
): Promise<Omit<EngineRunOutput, 'close'>> {
  const columns = await session.columns();
  const names = columns.map((c) => c.name);
  const { keyColumn, timeColumn, warnings } = outputRoles(definition, defaultKey, names);
  const features = outputFeatures(columns, { keyColumn, timeColumn });
  const { sql: body, timeColumn: writtenTime } = runOutputQuery({ keyColumn, timeColumn }, features, names, options);
  const total = await session.count();
  const rows = Number((await session.read(`SELECT CAST(count(*) AS DOUBLE) FROM (${body})`)).getRowsJS()[0]?.[0] ?? 0);
  options.onProgress?.('writing the output', 0, rows);
  const file = await session.exportParquet(body, 'output.parquet');
  if (total === 0) warnings.push('The transform returned no rows');
  else if (total - rows > 0) warnings.push(`${total - rows} of ${total} output rows were outside the run's time range or had no entity key, and were not written`);
  return { file, rows, keyColumn, timeColumn: writtenTime, features, warnings };
}

/** The files a source path names (a wildcard in the file name expands), via DuckDB's glob. */
async function expand(path: string, tmpDir: string): Promise<string[]> {
  if (!/[*?[{]/.test(path)) return [path];
  const session = await TransformSession.open(tmpDir);
  try {
    const listed = await session.read(`SELECT file FROM glob(${quoteLiteral(path)})`);
    return listed.getRowsJS().map((r) => String(r[0]));
  } finally {
    await session.close();
  }
}
