/**
 * Point-in-time joins on Spark, for label sets too large for one machine (docs/spark.md). Same rule
 * and output as OfflineStore.pointInTime: per label row, each feature's latest value at or before
 * the label time and within its TTL, in label order. The history comes from PostgreSQL through JDBC
 * when the offline store is PostgreSQL; the embedded store's history is exported to Parquet first.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { quoteLiteral } from '../ingest/typed-sql.js';
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
      let history: Record<string, unknown>;
      if (this.deps.offlineUrl) {
        env[HISTORY_URL_ENV] = this.deps.offlineUrl;
        const names = query.features.map((f) => quoteLiteral(f.name)).join(', ');
        history = {
          type: 'jdbc',
          url_env: HISTORY_URL_ENV,
          query: `SELECT feature, entity_key, event_time_ms, value_json FROM fstore_feature_values WHERE entity = ${quoteLiteral(query.entity)} AND feature IN (${names})`,
        };
      } else {
        history = { type: 'parquet', path: await this.exportHistory(session, query) };
      }
      const output = join(workDir, 'pit-output');
      await runSparkJob(
        this.deps.settings,
        { mode: 'point_in_time', labels, history, features: query.features.map((f) => ({ name: f.name, ttl_ms: f.ttlSeconds === null ? null : Math.trunc(f.ttlSeconds * 1000) })), output },
        workDir,
        { signal: options.signal, env, onProgress: options.onProgress, onLog: options.onLog },
      );
      const columns = query.features.map((_, i) => `f${i}`).join(', ');
      const read = `SELECT ${columns} FROM read_parquet(${quoteLiteral(join(output, '*.parquet'))}) ORDER BY row_idx`;
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

  /** The requested features' full history as long rows (feature, key, time, JSON), through the store's own API. */
  private async exportHistory(session: TransformSession, query: PointInTimeQuery): Promise<string> {
    const ndjson = join(session.dir, 'history.ndjson');
    const out = createWriteStream(ndjson);
    let written = 0;
    try {
      for (const feature of query.features) {
        // A range over one feature has a row exactly where that feature has a value: its history.
        const rows = this.deps.offline.range({
          entity: query.entity,
          features: [{ ...feature, ttlSeconds: null }],
          start: Number.MIN_SAFE_INTEGER,
          end: Number.MAX_SAFE_INTEGER,
        });
        for await (const chunk of rows) {
          const lines = chunk
            .filter((r) => r[2] !== null && r[2] !== undefined)
            .map((r) => JSON.stringify({ feature: feature.name, entity_key: r[0], event_time_ms: r[1], value_json: r[2] }));
          written += lines.length;
          if (lines.length > 0 && !out.write(lines.join('\n') + '\n')) await once(out, 'drain');
        }
      }
    } finally {
      out.end();
      await once(out, 'close');
    }
    const file = join(session.dir, 'history.parquet');
    const rows =
      written === 0
        ? 'SELECT NULL::VARCHAR AS feature, NULL::VARCHAR AS entity_key, NULL::BIGINT AS event_time_ms, NULL::VARCHAR AS value_json WHERE false'
        : `SELECT * FROM read_json(${quoteLiteral(ndjson)}, format = 'newline_delimited',
             columns = {'feature': 'VARCHAR', 'entity_key': 'VARCHAR', 'event_time_ms': 'BIGINT', 'value_json': 'VARCHAR'})`;
    await session.connection.run(`COPY (${rows}) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    return file;
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
