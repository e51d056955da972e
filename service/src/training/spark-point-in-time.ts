/**
 * Point-in-time joins on Spark, for label sets too large for one machine (docs/spark.md). Same rule
 * and output as OfflineStore.pointInTime: per label row, each feature's latest value at or before
 * the label time and within its TTL, in label order. Spark reads the offline store's own group
 * tables (ADR 0008): over JDBC when it is PostgreSQL, as Parquet snapshots of the embedded tables.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { quoteLiteral } from '../staging/typed-sql.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { duckToJson } from '../storage/embedded/duckdb-typed-values.js';
import { carriedTimeColumn, groupTable } from '../storage/offline-layout.js';
import { duckTypeOf } from '../storage/duckdb/duck-types.js';
import type { OfflineStore, PointInTimeQuery } from '../storage/offline-store.js';
import { TransformSession } from '../transforms/transform-session.js';
import { runSparkJob, type SparkSettings } from '../transforms/spark/spark-submit.js';

const CHUNK_ROWS = 5000;
const HISTORY_URL_ENV = 'FSTORE_SPARK_OFFLINE_STORE';

export interface SparkPointInTimeDeps {
  settings: SparkSettings;
  offline: OfflineStore;
  /** The PostgreSQL offline store's URL, or null for the embedded store. */
  offlineUrl: string | null;
  tmpDir: string;
}

/** Cancellation, progress and log lines of one training-set run (a job). */
export interface PointInTimeRunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: string, done: number, total: number | null) => void) | undefined;
  onLog?: ((line: string) => void) | undefined;
}

export class SparkPointInTime {
  constructor(private readonly deps: SparkPointInTimeDeps) {}

  async *pointInTime(query: PointInTimeQuery, options: PointInTimeRunOptions = {}): AsyncIterable<(string | null)[][]> {
    const workDir = join(this.deps.tmpDir, `spark-pit-${randomUUID()}`);
    await mkdir(workDir, { recursive: true });
    const session = await TransformSession.open(workDir);
    try {
      const labels = await writeLabels(session, query);
      const env: Record<string, string> = {};
      if (this.deps.offlineUrl) env[HISTORY_URL_ENV] = this.deps.offlineUrl;
      // The group tables holding the requested features: read in place over JDBC (PostgreSQL) or
      // as a Parquet snapshot of the embedded table, with the carried times the TTL needs.
      const located = await this.deps.offline.locate(query.features.map((f) => f.name));
      const columnOf = new Map(query.features.map((f, i) => [f.name, `f${i}`]));
      const types = new Map<string, ValueType>();
      const groups: Record<string, unknown>[] = [];
      for (const [group, members] of located) {
        let history: Record<string, unknown>;
        if (this.deps.offlineUrl) {
          history = { type: 'jdbc', url_env: HISTORY_URL_ENV, table: groupTable(group) };
        } else {
          const path = join(session.dir, `group-${groups.length}.parquet`);
          await this.deps.offline.exportGroup(group, { path, format: 'parquet' }, { carriedTimes: true });
          history = { type: 'parquet', path };
        }
        const features = members.map((m) => {
          types.set(m.feature, m.valueType);
          const ref = query.features.find((f) => f.name === m.feature)!;
          return { name: m.feature, carried: carriedTimeColumn(m.feature), column: columnOf.get(m.feature)!, ttl_ms: ref.ttlSeconds === null ? null : Math.trunc(ref.ttlSeconds * 1000) };
        });
        groups.push({ history, features });
      }
      const output = join(workDir, 'pit-output');
      await runSparkJob(this.deps.settings, { mode: 'point_in_time', labels, groups, output }, workDir, {
        signal: options.signal,
        env,
        onProgress: options.onProgress,
        onLog: options.onLog,
      });
      // Values back to the row form's JSON text; a feature without history is NULL.
      const described = await session.connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(join(output, '*.parquet'))})`);
      const outputTypes = new Map(described.getRowObjectsJS().map((r) => [String(r['column_name']), String(r['column_type'])]));
      const cells = query.features.map((f, i) => {
        const valueType = types.get(f.name);
        const column = `f${i}`;
        if (!valueType || !outputTypes.has(column)) return 'CAST(NULL AS VARCHAR)';
        // PostgreSQL keeps lists as jsonb, which JDBC hands over as its JSON text.
        if (outputTypes.get(column) === 'VARCHAR' && valueType.endsWith('_LIST')) return column;
        return duckToJson(`CAST(${column} AS ${duckTypeOf(valueType)})`, valueType);
      });
      const read = `SELECT ${cells.join(', ')} FROM read_parquet(${quoteLiteral(join(output, '*.parquet'))}) ORDER BY row_idx`;
      const result = await session.connection.stream(read);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const rows = chunk.getRows() as (string | null)[][];
        for (let i = 0; i < rows.length; i += CHUNK_ROWS) yield rows.slice(i, i + CHUNK_ROWS);
      }
    } finally {
      await session.close();
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

async function writeLabels(session: TransformSession, query: PointInTimeQuery): Promise<string> {
  await session.connection.run('CREATE TABLE labels (row_idx BIGINT, entity_key VARCHAR, t BIGINT)');
  const appender = await session.connection.createAppender('labels');
  for (let i = 0; i < query.entityKeys.length; i++) {
    appender.appendBigInt(BigInt(i));
    appender.appendVarchar(query.entityKeys[i]!);
    appender.appendBigInt(BigInt(query.times[i]!));
    appender.endRow();
  }
  appender.closeSync();
  const file = join(session.dir, 'labels.parquet');
  await session.connection.run(`COPY labels TO ${quoteLiteral(file)} (FORMAT parquet)`);
  return file;
}
