/**
 * Data and raw store readers shared by the online-read scenarios: one entity with 5 feature groups
 * of 10 numeric features, ingested through FStore's own API, and direct reads of exactly the store
 * records FStore reads for a request (the raw baselines).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { open } from 'lmdb';
import { ONLINE_LMDB_OPTIONS } from '../service/src/storage/embedded/lmdb-online-store.js';
import { hashKey } from '../service/src/storage/redis/redis-online-store.js';

export const GROUPS = 5;
export const PER_GROUP = 10;

export interface OnlineFixture {
  entity: string;
  /** Group name -> its feature names, in request order. */
  groups: { group: string; features: string[] }[];
  features: string[];
}

/** Ingests `keys` entity keys (k0, k1, ...) into 5 groups x 10 features through POST /api/ingest. */
export async function seedOnlineData(url: string, entity: string, keys: number): Promise<OnlineFixture> {
  const groups: OnlineFixture['groups'] = [];
  for (let g = 0; g < GROUPS; g++) {
    const group = `grupo_${g}`;
    const features = Array.from({ length: PER_GROUP }, (_, f) => `${entity}_g${g}_f${f}`);
    const rows = Array.from({ length: keys }, (_, k) => {
      const row: Record<string, unknown> = { entity_key: `k${k}`, event_timestamp: '2025-01-01T00:00:00Z' };
      features.forEach((name, f) => (row[name] = (k * 31 + f) % 1000));
      return row;
    });
    const res = await fetch(`${url}/api/ingest/${entity}/${group}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows }),
    });
    if (!res.ok) throw new Error(`setup ingest of ${group} failed: HTTP ${res.status} ${await res.text()}`);
    groups.push({ group, features });
  }
  return { entity, groups, features: groups.flatMap((g) => g.features) };
}

/** POST /api/online/features once; throws unless every value is PRESENT. Returns the response body. */
export async function checkedOnlineRead(url: string, body: string, expectedValues: number): Promise<string> {
  const res = await fetch(`${url}/api/online/features`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`online read failed: HTTP ${res.status} ${text}`);
  const present = (text.match(/"PRESENT"/g) ?? []).length;
  if (present !== expectedValues) throw new Error(`online read returned ${present} PRESENT values, expected ${expectedValues}`);
  return text;
}

export interface RawReadResult {
  /** Completed reads (one read = every group of every key of one request). */
  reads: number;
  values: number;
  seconds: number;
}

/** Reads one request's worth of records straight from the store; resolves with the values found. */
export interface RawReader {
  readonly label: string;
  once(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Raw Redis baseline: the same pipeline FStore's Redis adapter sends for one request (one HMGET of
 * `v:<f>`/`t:<f>` per key and group, on the same hash keys), with ioredis on one connection.
 */
export async function rawRedisReader(redisUrl: string, fixture: OnlineFixture, keys: string[]): Promise<RawReader> {
  const redis = new Redis(redisUrl);
  const commands = keys.flatMap((k) =>
    fixture.groups.map(({ group, features }) => [hashKey(fixture.entity, group, k), ...features.flatMap((f) => [`v:${f}`, `t:${f}`])]),
  );
  const reader: RawReader = {
    label: `raw Redis: one pipeline of ${commands.length} HMGETs per request (FStore's keys and fields), ioredis`,
    async once() {
      const pipeline = redis.pipeline();
      for (const [key, ...fields] of commands) pipeline.hmget(key!, ...fields);
      const results = (await pipeline.exec()) ?? [];
      let values = 0;
      for (const [err, fields] of results) {
        if (err) throw err;
        const list = fields as (string | null)[];
        for (let i = 0; i < list.length; i += 2) if (list[i] !== null) values++;
      }
      return values;
    },
    async close() {
      redis.disconnect();
    },
  };
  return checked(reader, keys.length * fixture.features.length);
}

/**
 * Raw embedded baseline: the same LMDB records FStore's LMDB adapter reads ([entity, group, key] ->
 * record of the group's features), opened read-only with the lmdb package from the bench process
 * while the service runs, read with synchronous gets (a memory-mapped lookup and a msgpack decode
 * each; lmdb's getMany measured no faster on this workload).
 */
export async function rawLmdbReader(dataDir: string, fixture: OnlineFixture, keys: string[]): Promise<RawReader> {
  const db = open<Record<string, [string, number]>, [string, string, string]>({ path: join(dataDir, 'online.lmdb'), ...ONLINE_LMDB_OPTIONS, readOnly: true });
  const lmdbKeys = keys.flatMap((k) => fixture.groups.map(({ group }) => [fixture.entity, group, k] as [string, string, string]));
  const featuresOf = keys.flatMap(() => fixture.groups.map(({ features }) => features));
  const reader: RawReader = {
    label: `raw LMDB: get of the same ${lmdbKeys.length} records per request (lmdb package)`,
    async once() {
      let values = 0;
      lmdbKeys.forEach((key, i) => {
        const record = db.get(key);
        for (const f of featuresOf[i]!) if (record?.[f] !== undefined) values++;
      });
      return values;
    },
    close: () => db.close(),
  };
  return checked(reader, keys.length * fixture.features.length);
}

async function checked(reader: RawReader, expected: number): Promise<RawReader> {
  const found = await reader.once();
  if (found !== expected) {
    await reader.close();
    throw new Error(`${reader.label} found ${found} values, expected ${expected}: not the records FStore wrote`);
  }
  return reader;
}

/** `concurrency` reads in flight back to back for `seconds`. */
export async function saturate(reader: RawReader, concurrency: number, seconds: number): Promise<RawReadResult> {
  const started = performance.now();
  const end = started + seconds * 1000;
  let reads = 0;
  let values = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        // Not `values += await ...`: that reads `values` before the await and loses the other workers' counts.
        const found = await reader.once();
        values += found;
        reads++;
      }
    }),
  );
  return { reads, values, seconds: (performance.now() - started) / 1000 };
}

/** Starts one read every 1/rate s (open loop, like autocannon's overallRate) and reports latency percentiles. */
export async function atFixedRate(reader: RawReader, rate: number, seconds: number): Promise<{ p50_ms: number; p99_ms: number; reads: number }> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(reader.once().then(() => void latencies.push(performance.now() - t0)));
  }
  await Promise.all(pending);
  return { p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), reads: latencies.length };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 100) / 100;
}

export interface RedisBenchmarkFigure {
  command: string;
  commands_per_s: number;
  p50_ms: number;
  p99_ms: number;
}

/** redis-benchmark (the store's own load tool) on one command; undefined with a printed reason when it cannot run. */
export function redisBenchmark(redisUrl: string, args: string[], requests: number, connections: number, pipeline: number): RedisBenchmarkFigure | undefined {
  const url = new URL(redisUrl);
  const db = url.pathname.replace('/', '') || '0';
  try {
    const csv = execFileSync(
      'redis-benchmark',
      ['-h', url.hostname, '-p', url.port || '6379', '--dbnum', db, '-n', String(requests), '-c', String(connections), '-P', String(pipeline), '--csv', ...args],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const row = csv.trim().split('\n').at(-1)!.split('","').map((c) => c.replaceAll('"', ''));
    const [command, rps, , , p50, , p99] = row;
    return { command: `redis-benchmark -n ${requests} -c ${connections} -P ${pipeline} ${command!.split(' ')[0]} <key> <${args.length - 2} fields>`, commands_per_s: Number(rps), p50_ms: Number(p50), p99_ms: Number(p99) };
  } catch (err) {
    process.stderr.write(`bench: redis-benchmark did not run: ${(err as Error).message}\n`);
    return undefined;
  }
}
