/**
 * Ingestion of an N-row, 10-feature Parquet file (unique entity keys, seeded values) through
 * IngestService.ingestFile (what POST /api/ingest/{entity}/{group}/file and file jobs run), to the
 * offline and online stores, on the embedded defaults (DuckDB + LMDB) and on the server backends
 * (PostgreSQL + Redis). The offline phase ends when the offline write commits; the online phase is
 * the rest. Baselines in the same run, on the same rows, in the same layouts as FStore's:
 * - embedded offline: one raw DuckDB INSERT ... SELECT from read_parquet into a table of the
 *   offline store's shape (one row per value);
 * - PostgreSQL offline: psql \copy of the same long rows into a table of the same shape and keys;
 * - embedded online: raw LMDB puts of the same records in one transaction;
 * - Redis online: redis-cli --pipe of one HSET per key with the same fields (absorbs
 *   bench/backend-writes.ts).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { ONLINE_LMDB_OPTIONS } from '../../service/src/storage/embedded/lmdb-online-store.js';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createAppContext, type AppContext } from '../../service/src/app-context.js';
import { loadConfig } from '../../service/src/config/load-config.js';
import { IngestService } from '../../service/src/ingest/ingest-service.js';
import type { OfflineStore } from '../../service/src/storage/offline-store.js';
import type { OnlineStore } from '../../service/src/storage/online-store.js';
import { openDuckDb, withConnection } from '../../service/src/storage/duckdb/duckdb-session.js';
import { indexKey } from '../../service/src/storage/redis/redis-online-store.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';
import { freshBenchDatabase, redisDb, reportSkipped, serverBackends, wantsBackend } from '../backends.js';

const FEATURES = Array.from({ length: 10 }, (_, f) => `f${f}`);
const T0 = Date.parse('2025-01-01T00:00:00Z');
const SEED = 9001;
/** A Redis logical database for the bench's keys, cleaned of them afterwards. */
const REDIS_DB = 14;

interface Phases {
  offlineSeconds: number;
  onlineSeconds: number;
  totalSeconds: number;
  valuesWritten: number;
  onlineValuesWritten: number;
}

export async function ingest(options: BenchOptions): Promise<BenchResult[]> {
  const rows = options.quick ? 50_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-ingest-'));
  try {
    const file = join(dir, 'rows.parquet');
    await writeRows(file, rows);
    const results = wantsBackend('embedded') ? await embedded(dir, file, rows) : [];
    if (!wantsBackend('server')) return results;
    const server = await serverBackends();
    if ('unavailable' in server) reportSkipped('ingest', server.unavailable);
    else results.push(...(await onServers(dir, file, rows, server.offline, server.online)));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function embedded(dir: string, file: string, rows: number): Promise<BenchResult[]> {
  const dataDir = join(dir, 'embedded');
  const ctx = await createAppContext(loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent', monitoringIntervalSeconds: 0 } }));
  let phases: Phases;
  try {
    phases = await timedIngest(ctx, ctx.stores.offline, ctx.stores.online, file);
  } finally {
    await ctx.close();
  }

  // Raw offline: the same long rows straight from the file into a table of the same shape.
  const raw = await openDuckDb(join(dir, 'raw.duckdb'));
  let rawOffline: number;
  try {
    rawOffline = await withConnection(raw, async (c) => {
      await c.run(`CREATE TABLE feature_values (entity VARCHAR NOT NULL, feature_group VARCHAR NOT NULL, feature VARCHAR NOT NULL,
        entity_key VARCHAR NOT NULL, event_time_ms BIGINT NOT NULL, value_json VARCHAR NOT NULL, ingested_ms BIGINT NOT NULL)`);
      const started = performance.now();
      await c.run(`INSERT INTO feature_values
        SELECT 'bench', 'writes', feature, entity_key, epoch_ms(event_timestamp), CAST(value AS VARCHAR), 0
        FROM (UNPIVOT read_parquet('${file}') ON ${FEATURES.join(', ')} INTO NAME feature VALUE value)`);
      return (performance.now() - started) / 1000;
    });
  } finally {
    raw.closeSync();
  }

  // Raw online: the same records (one per key, every feature with its event time), one transaction.
  const records = await onlineRecords(file);
  const lmdb = open<Record<string, [string, number]>, [string, string, string]>({ path: join(dir, 'raw.lmdb'), ...ONLINE_LMDB_OPTIONS });
  const started = performance.now();
  lmdb.transactionSync(() => {
    for (const [key, record] of records) lmdb.putSync(['bench', 'writes', key], record);
  });
  const rawOnline = (performance.now() - started) / 1000;
  await lmdb.close();
  return figures('embedded', 'embedded (DuckDB + LMDB)', rows, phases, {
    offline: rawOffline,
    offlineLabel: 'raw DuckDB INSERT ... SELECT FROM read_parquet of the same long rows into a table of the same shape',
    online: rawOnline,
    onlineLabel: 'raw LMDB puts of the same records in one transaction',
  });
}

async function onServers(dir: string, file: string, rows: number, baseUrl: string, redisUrl: string): Promise<BenchResult[]> {
  const database = await freshBenchDatabase(baseUrl, 'ingest');
  const online = redisDb(redisUrl, REDIS_DB);
  const entity = `bench_${process.pid}`;
  const redis = new Redis(online);
  try {
    const dataDir = join(dir, 'server');
    const ctx = await createAppContext(loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent', monitoringIntervalSeconds: 0, offlineStore: database.url, onlineStore: online } }));
    let phases: Phases;
    try {
      phases = await timedIngest(ctx, ctx.stores.offline, ctx.stores.online, file, entity);
      await ctx.stores.online.deleteGroup(entity, 'writes');
    } finally {
      await ctx.close();
    }

    // Raw offline: psql \copy of the same long rows into a table of the same shape and keys.
    const tsv = join(dir, 'long.tsv');
    const exporter = await openDuckDb(':memory:');
    await withConnection(exporter, (c) =>
      c.run(`COPY (SELECT 'bench', 'writes', feature, entity_key, epoch_ms(event_timestamp), CAST(value AS VARCHAR), 0
        FROM (UNPIVOT read_parquet('${file}') ON ${FEATURES.join(', ')} INTO NAME feature VALUE value)) TO '${tsv}' (FORMAT csv, DELIMITER '\t', HEADER false)`),
    );
    exporter.closeSync();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`CREATE TABLE raw_values (entity text COLLATE "C" NOT NULL, feature_group text COLLATE "C" NOT NULL, feature text COLLATE "C" NOT NULL,
      entity_key text COLLATE "C" NOT NULL, event_time_ms bigint NOT NULL, value_json text NOT NULL, ingested_ms bigint NOT NULL,
      PRIMARY KEY (entity, feature, entity_key, event_time_ms));
      CREATE INDEX ON raw_values (entity, feature, event_time_ms)`);
    await admin.end();
    let started = performance.now();
    execFileSync('psql', [database.url, '-q', '-c', `\\copy raw_values FROM '${tsv}'`]);
    const rawOffline = (performance.now() - started) / 1000;

    // Raw online: one HSET per key with the same fields (v:<feature>, t:<feature>), pipelined.
    const records = await onlineRecords(file);
    const prefix = `bench_raw_${process.pid}:`;
    const bulk = (parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
    // Written in pieces: the full size's protocol text is larger than a JS string may be.
    const protoFile = join(dir, 'raw.proto');
    const fd = openSync(protoFile, 'w');
    try {
      let pending: string[] = [];
      for (const [key, record] of records) {
        const fields = Object.entries(record).flatMap(([f, [json, t]]) => [`v:${f}`, json, `t:${f}`, String(t)]);
        pending.push(bulk(['HSET', `${prefix}${key}`, ...fields]));
        if (pending.length >= 10_000) {
          writeSync(fd, pending.join(''));
          pending = [];
        }
      }
      writeSync(fd, pending.join(''));
    } finally {
      closeSync(fd);
    }
    const host = new URL(online);
    started = performance.now();
    execFileSync('bash', ['-c', `redis-cli -h ${host.hostname} -p ${host.port || '6379'} -n ${REDIS_DB} --pipe < '${protoFile}'`], { stdio: 'ignore' });
    const rawOnline = (performance.now() - started) / 1000;
    await deleteKeys(redis, `${prefix}*`);
    return figures('server', 'server (PostgreSQL + Redis)', rows, phases, {
      offline: rawOffline,
      offlineLabel: 'psql \\copy of the same long rows into a table of the same shape and keys',
      online: rawOnline,
      onlineLabel: 'redis-cli --pipe: one HSET per key with the same fields',
    });
  } finally {
    await redis.unlink(indexKey(entity, 'writes')).catch(() => undefined);
    redis.disconnect();
    await database.drop();
  }
}

/**
 * Runs ingestFile with the offline store's commit observed: everything up to the committed
 * offline write is the offline phase (staging, validation, long rows, COPY/insert, commit); the
 * rest (newest value per key, online writes) is the online phase.
 */
async function timedIngest(ctx: AppContext, offline: OfflineStore, online: OnlineStore, file: string, entity = 'bench'): Promise<Phases> {
  let offlineDone = 0;
  const observed: OfflineStore = Object.create(offline as object) as OfflineStore;
  observed.beginWrite = async (...args) => {
    const writer = await offline.beginWrite(...args);
    const commit = writer.commit.bind(writer);
    writer.commit = async () => {
      const written = await commit();
      offlineDone = performance.now();
      return written;
    };
    return writer;
  };
  const service = new IngestService(ctx.registry, ctx.staging, observed, online);
  const started = performance.now();
  const report = await service.ingestFile(entity, 'writes', file, 'parquet', 'bench');
  const ended = performance.now();
  return {
    offlineSeconds: (offlineDone - started) / 1000,
    onlineSeconds: (ended - offlineDone) / 1000,
    totalSeconds: (ended - started) / 1000,
    valuesWritten: report.values_written,
    onlineValuesWritten: report.online_values_written,
  };
}

function figures(
  kind: 'embedded' | 'server',
  backend: string,
  rows: number,
  phases: Phases,
  raw: { offline: number; offlineLabel: string; online: number; onlineLabel: string },
): BenchResult[] {
  const values = rows * FEATURES.length;
  if (phases.valuesWritten !== values || phases.onlineValuesWritten !== values) {
    throw new Error(`ingest (${backend}) wrote ${phases.valuesWritten} offline and ${phases.onlineValuesWritten} online values, expected ${values} each`);
  }
  const scenario = `ingest a ${rows.toLocaleString('en')}-row, ${FEATURES.length}-feature Parquet file`;
  const perSecond = (seconds: number) => Math.round(rows / seconds);
  const details = {
    backend_kind: kind,
    rows,
    values_per_store: values,
    fstore_offline_s: round(phases.offlineSeconds),
    fstore_online_s: round(phases.onlineSeconds),
    fstore_total_s: round(phases.totalSeconds),
    raw_offline_s: round(raw.offline),
    raw_online_s: round(raw.online),
    values_match: true,
  };
  return [
    {
      scenario: `${scenario}: to offline`,
      backend,
      metric: 'rows/s',
      fstore: perSecond(phases.offlineSeconds),
      baseline: perSecond(raw.offline),
      baselineLabel: raw.offlineLabel,
      ratio: speedRatio(phases.offlineSeconds, raw.offline, 'duration'),
      target: '>= 0.7x raw offline',
      details,
    },
    {
      scenario: `${scenario}: to online`,
      backend,
      metric: 'rows/s',
      fstore: perSecond(phases.onlineSeconds),
      baseline: perSecond(raw.online),
      baselineLabel: raw.onlineLabel,
      ratio: speedRatio(phases.onlineSeconds, raw.online, 'duration'),
      target: kind === 'server' ? '>= 0.5x raw Redis' : '>= 0.5x raw online writes',
      details,
    },
    {
      scenario: `${scenario}: end to end`,
      backend,
      metric: 'rows/s',
      fstore: perSecond(phases.totalSeconds),
      baseline: perSecond(raw.offline + raw.online),
      baselineLabel: 'the two raw writes above, one after the other',
      ratio: speedRatio(phases.totalSeconds, raw.offline + raw.online, 'duration'),
      target: '>= 100k rows/s end to end',
      details,
    },
  ];
}

/** A Parquet file of unique keys, one event time each, 10 seeded DOUBLE features (never null). */
async function writeRows(path: string, rows: number): Promise<void> {
  const db = await openDuckDb(':memory:');
  try {
    await withConnection(db, (c) =>
      c.run(`COPY (
        SELECT 'k' || i AS entity_key, make_timestamp(CAST(${T0} + hash(i, ${SEED}) % 86400000 AS BIGINT) * 1000) AS event_timestamp,
               ${FEATURES.map((f, fi) => `CAST(hash(i, ${SEED}, ${fi}) % 1000000 AS DOUBLE) / 1000 AS ${f}`).join(', ')}
        FROM range(${rows}) r(i)) TO '${path}' (FORMAT parquet)`),
    );
  } finally {
    db.closeSync();
  }
}

/** Per key, the online record FStore writes: feature -> [JSON text, event time ms]. */
async function onlineRecords(file: string): Promise<[string, Record<string, [string, number]>][]> {
  const db = await openDuckDb(':memory:');
  try {
    const rows = await withConnection(db, async (c) =>
      (await c.runAndReadAll(`SELECT entity_key, CAST(epoch_ms(event_timestamp) AS DOUBLE), ${FEATURES.map((f) => `CAST(to_json(${f}) AS VARCHAR)`).join(', ')} FROM read_parquet('${file}')`)).getRowsJS(),
    );
    return rows.map((r) => [String(r[0]), Object.fromEntries(FEATURES.map((f, i) => [f, [String(r[2 + i]), Number(r[1])]]))]);
  } finally {
    db.closeSync();
  }
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
