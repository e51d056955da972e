/**
 * Ingestion of an N-row, 10-feature Parquet file (unique entity keys, seeded values) through
 * IngestService.ingestFile (what POST /api/ingest/{entity}/{group}/file and file jobs run), to the
 * offline and online stores, on the embedded defaults (DuckDB + LMDB) and on the server backends
 * (PostgreSQL + Redis). The offline phase ends when the offline write commits; the online phase is
 * the rest. Baselines in the same run, on the same rows, into the same layouts as FStore's:
 * - embedded offline: one raw DuckDB INSERT ... SELECT FROM read_parquet into the same wide typed
 *   table FStore keeps for the group (entity_key, event_time TIMESTAMPTZ, ingested_at, 10 DOUBLE and
 *   their 10 carried-time columns, left NULL as FStore leaves them for rows that write every feature);
 * - PostgreSQL offline: psql \copy of the same rows as CSV into the same wide typed table with the
 *   same primary key (entity_key, event_time);
 * - embedded online: raw LMDB puts of the same records in one transaction;
 * - Redis online: redis-cli --pipe of one HSET per key with the same fields (absorbs
 *   bench/backend-writes.ts).
 * Afterwards FStore's offline table and the raw one are compared in their engine (EXCEPT ALL both
 * ways over key, time and the 10 values): a difference fails the run.
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
import { duckWideTable, literal, pgWideTable, psql, type WideFeature } from '../wide-tables.js';

const FEATURES = Array.from({ length: 10 }, (_, f) => `f${f}`);
const GROUP = 'writes';
const WIDE: WideFeature[] = FEATURES.map((feature) => ({ feature, valueType: 'FLOAT' }));
/** The columns a raw load writes (the carried-time columns stay NULL: every row writes every feature). */
const LOADED = ['entity_key', 'event_time', 'ingested_at', ...FEATURES];
/** Compared between FStore's table and the raw one (ingested_at differs by design). */
const COMPARED = ['entity_key', 'event_time', ...FEATURES];
/** ingested_at of the raw rows (any constant: a load stamps one time). */
const INGESTED_MS = Date.parse('2026-01-01T00:00:00Z');
const TARGET = {
  offline: '>= 0.7x raw offline',
  online: '>= 0.5x raw online writes',
  endToEnd: { embedded: '>= 150k rows/s end to end', server: '>= 50k rows/s end to end' },
};
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

  // Raw offline: the same rows straight from the file into the same wide typed table; then the two
  // tables compared in the raw database (FStore's store file attached read-only).
  const raw = await openDuckDb(join(dir, 'raw.duckdb'));
  let rawOffline: number;
  try {
    rawOffline = await withConnection(raw, async (c) => {
      await c.run(duckWideTable('wide_typed', WIDE));
      const started = performance.now();
      await c.run(`INSERT INTO wide_typed (${LOADED.join(', ')}) ${wideRows(file)}`);
      const seconds = (performance.now() - started) / 1000;
      await c.run(`ATTACH ${literal(join(dataDir, 'offline.duckdb'))} AS fstore (READ_ONLY)`);
      await sameRows('embedded', rows, `fstore.fstore_offline.${GROUP}`, async (sql) => Number((await c.runAndReadAll(sql)).getRowsJS()[0]?.[0]));
      return seconds;
    });
  } finally {
    raw.closeSync();
  }

  // Raw online: the same records (one per key, every feature with its event time), one transaction.
  const records = await onlineRecords(file);
  const lmdb = open<Record<string, [string, number]>, [string, string, string]>({ path: join(dir, 'raw.lmdb'), ...ONLINE_LMDB_OPTIONS });
  const started = performance.now();
  lmdb.transactionSync(() => {
    for (const [key, record] of records) lmdb.putSync(['bench', GROUP, key], record);
  });
  const rawOnline = (performance.now() - started) / 1000;
  await lmdb.close();
  return figures('embedded', 'embedded (DuckDB + LMDB)', rows, phases, {
    offline: rawOffline,
    offlineLabel: 'raw DuckDB INSERT ... SELECT FROM read_parquet of the same rows into the same wide typed table',
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
      await ctx.stores.online.deleteGroup(entity, GROUP);
    } finally {
      await ctx.close();
    }

    // Raw offline: psql \copy of the same rows as CSV into the same wide typed table and primary
    // key; then the two tables compared in PostgreSQL.
    const csv = join(dir, 'wide.csv');
    const exporter = await openDuckDb(':memory:');
    await withConnection(exporter, (c) => c.run(`COPY (${wideRows(file)}) TO ${literal(csv)} (FORMAT csv, HEADER false)`));
    exporter.closeSync();
    psql(database.url, [pgWideTable('wide_typed', WIDE)]);
    let started = performance.now();
    psql(database.url, [`\\copy wide_typed (${LOADED.join(', ')}) FROM ${literal(csv)} (FORMAT csv)`]);
    const rawOffline = (performance.now() - started) / 1000;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await sameRows('server', rows, `fstore_offline.${GROUP}`, async (sql) => Number((await admin.query<{ n: string }>(sql)).rows[0]?.n));
    } finally {
      await admin.end();
    }

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
      offlineLabel: 'psql \\copy of the same rows (CSV) into the same wide typed table and primary key (entity_key, event_time)',
      online: rawOnline,
      onlineLabel: 'redis-cli --pipe: one HSET per key with the same fields',
    });
  } finally {
    await redis.unlink(indexKey(entity, GROUP)).catch(() => undefined);
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
  const report = await service.ingestFile(entity, GROUP, file, 'parquet', 'bench');
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
    offline_table_matches_raw: true,
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
      target: TARGET.offline,
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
      target: TARGET.online,
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
      target: TARGET.endToEnd[kind],
      details,
    },
  ];
}

/** The file's rows as rows of the wide typed table (the columns of LOADED). */
function wideRows(file: string): string {
  return `SELECT entity_key, CAST(event_timestamp AS TIMESTAMPTZ), CAST(epoch_ms(${INGESTED_MS}) AS TIMESTAMPTZ), ${FEATURES.join(', ')} FROM read_parquet(${literal(file)})`;
}

/**
 * FStore's table of the group holds exactly the raw table's rows (keys, event times, values):
 * `count` runs a SQL count in the engine holding both tables (`wide_typed` and `fstore`).
 */
async function sameRows(backend: string, rows: number, fstore: string, count: (sql: string) => Promise<number>): Promise<void> {
  const columns = COMPARED.join(', ');
  const missing = await count(`SELECT count(*) AS n FROM (SELECT ${columns} FROM wide_typed EXCEPT ALL SELECT ${columns} FROM ${fstore}) d`);
  const extra = await count(`SELECT count(*) AS n FROM (SELECT ${columns} FROM ${fstore} EXCEPT ALL SELECT ${columns} FROM wide_typed) d`);
  const stored = await count(`SELECT count(*) AS n FROM ${fstore}`);
  if (missing !== 0 || extra !== 0 || stored !== rows) {
    throw new Error(`ingest (${backend}): FStore's offline table has ${stored} rows for ${rows}; ${missing} raw rows missing from it, ${extra} rows not in the raw table`);
  }
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
