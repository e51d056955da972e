/**
 * Bulk-write throughput of the server adapters against the raw limit measured in the same run:
 * PostgreSQL (FStore's writer: COPY into a staging table and the merge into the group's wide typed
 * table, vs `psql \copy` of the same rows into the same wide typed table with its primary key; in a
 * scratch database) and Redis (FStore's event-time-aware Lua writes, one script call per 1,000 keys,
 * vs raw pipelined HSET of the same layout through redis-cli --pipe).
 * Run: env $(npm run --silent services:env) npx tsx bench/backend-writes.ts [rows]
 * `npm run bench -- ingest` measures the same writes end to end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresOfflineStore } from '../service/src/storage/postgres/postgres-offline-store.js';
import { RedisOnlineStore } from '../service/src/storage/redis/redis-online-store.js';
import type { OfflineBatch } from '../service/src/storage/offline-store.js';
import { latestPerKey } from '../service/src/ingest/latest-per-key.js';
import { freshBenchDatabase } from './backends.js';
import { pgWideTable, psql } from './wide-tables.js';

const rows = Number(process.argv[2] ?? 200_000);
const FEATURES = 5;
const baseUrl = process.env['FSTORE_OFFLINE_STORE'];
const redisUrl = process.env['FSTORE_ONLINE_STORE'];
if (!baseUrl || !redisUrl) throw new Error('Set FSTORE_OFFLINE_STORE and FSTORE_ONLINE_STORE: env $(npm run --silent services:env) ...');

// Deterministic data: key i, time fixed per row, value = a simple function of i and f.
const batch: OfflineBatch = {
  entity: 'bench',
  featureGroup: 'writes',
  entityKeys: Array.from({ length: rows }, (_, i) => `k${i}`),
  eventTimes: Array.from({ length: rows }, (_, i) => 1_700_000_000_000 + i),
  columns: Array.from({ length: FEATURES }, (_, f) => ({ feature: `f${f}`, valueType: 'INT' as const, values: Array.from({ length: rows }, (_, i) => String((i * 31 + f) % 1000)) })),
};
const values = rows * FEATURES;
const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-'));
const seconds = (start: number) => (performance.now() - start) / 1000;
const report: Record<string, number> = {};

// ---- PostgreSQL ----
const database = await freshBenchDatabase(baseUrl, 'writes');
try {
  const names = batch.columns.map((c) => c.feature);
  psql(database.url, [pgWideTable('raw_wide', names.map((feature) => ({ feature, valueType: 'INT' })))]);
  const csv = join(dir, 'rows.csv');
  let text = '';
  for (let i = 0; i < rows; i++) {
    text += `k${i},${new Date(batch.eventTimes[i]!).toISOString()},${new Date(0).toISOString()},${batch.columns.map((c) => c.values[i]).join(',')}\n`;
  }
  writeFileSync(csv, text);
  let t = performance.now();
  psql(database.url, [`\\copy raw_wide (entity_key, event_time, ingested_at, ${names.join(', ')}) FROM '${csv}' (FORMAT csv)`]);
  report['pg_raw_copy_values_per_s'] = values / seconds(t);

  const offline = await PostgresOfflineStore.open(database.url);
  t = performance.now();
  await offline.write(batch, Date.now());
  report['pg_fstore_write_values_per_s'] = values / seconds(t);
  t = performance.now();
  await offline.write(batch, Date.now()); // the same batch again: the merge path (rows replaced)
  report['pg_fstore_rewrite_values_per_s'] = values / seconds(t);
  await offline.close();
} finally {
  await database.drop();
}

// ---- Redis ----
const redisDb = '9';
const host = new URL(redisUrl);
const cli = ['-h', host.hostname, '-p', host.port || '6379', '-n', redisDb];
execFileSync('redis-cli', [...cli, 'FLUSHDB']);
let proto = '';
const bulk = (parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
for (let i = 0; i < rows; i++) {
  const fields: string[] = [];
  for (let f = 0; f < FEATURES; f++) fields.push(`v:f${f}`, batch.columns[f]!.values[i]!, `t:f${f}`, String(batch.eventTimes[i]));
  proto += bulk(['HSET', `raw:bench:writes:k${i}`, ...fields]);
}
const protoFile = join(dir, 'raw.proto');
writeFileSync(protoFile, proto);
let t = performance.now();
execFileSync('bash', ['-c', `redis-cli ${cli.join(' ')} --pipe < ${protoFile}`], { stdio: 'ignore' });
report['redis_raw_pipelined_hset_values_per_s'] = values / seconds(t);

const url = new URL(redisUrl);
url.pathname = `/${redisDb}`;
const online = await RedisOnlineStore.open(url.toString());
const onlineRows = latestPerKey(batch);
t = performance.now();
await online.write({ entity: 'bench', group: 'writes', ttlSeconds: null }, onlineRows);
report['redis_fstore_write_values_per_s'] = values / seconds(t);
await online.close();
execFileSync('redis-cli', [...cli, 'FLUSHDB']);

report['pg_ratio'] = report['pg_fstore_write_values_per_s']! / report['pg_raw_copy_values_per_s']!;
report['redis_ratio'] = report['redis_fstore_write_values_per_s']! / report['redis_raw_pipelined_hset_values_per_s']!;
console.log(JSON.stringify({ rows, features: FEATURES, values, ...Object.fromEntries(Object.entries(report).map(([k, v]) => [k, Math.round(v * 100) / 100])) }, null, 2));
