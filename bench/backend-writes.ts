/**
 * Bulk-write throughput of the server adapters against the raw limit measured in the same run:
 * PostgreSQL (FStore's COPY + upsert vs `psql \copy` into a plain table) and Redis (FStore's
 * event-time-aware Lua writes vs raw pipelined HSET of the same layout through redis-cli --pipe).
 * Run: env $(npm run --silent services:env) npx tsx bench/backend-writes.ts [rows]
 * Issue 9 folds this into `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresOfflineStore } from '../service/src/storage/postgres/postgres-offline-store.js';
import { RedisOnlineStore } from '../service/src/storage/redis/redis-online-store.js';
import type { OfflineBatch } from '../service/src/storage/offline-store.js';
import { latestPerKey } from '../service/src/ingest/ingest-service.js';

const rows = Number(process.argv[2] ?? 200_000);
const FEATURES = 5;
const pgUrl = process.env['FSTORE_OFFLINE_STORE'];
const redisUrl = process.env['FSTORE_ONLINE_STORE'];
if (!pgUrl || !redisUrl) throw new Error('Set FSTORE_OFFLINE_STORE and FSTORE_ONLINE_STORE: env $(npm run --silent services:env) ...');

// Deterministic data: key i, time fixed per row, value = a simple function of i and f.
const batch: OfflineBatch = {
  entity: 'bench',
  featureGroup: 'writes',
  entityKeys: Array.from({ length: rows }, (_, i) => `k${i}`),
  eventTimes: Array.from({ length: rows }, (_, i) => 1_700_000_000_000 + i),
  columns: Array.from({ length: FEATURES }, (_, f) => ({ feature: `f${f}`, values: Array.from({ length: rows }, (_, i) => String((i * 31 + f) % 1000)) })),
};
const values = rows * FEATURES;
const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-'));
const seconds = (start: number) => (performance.now() - start) / 1000;
const report: Record<string, number> = {};

// ---- PostgreSQL ----
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query('DROP TABLE IF EXISTS bench_raw_copy; CREATE UNLOGGED TABLE bench_raw_copy (entity text, feature text, entity_key text, event_time_ms bigint, value_json text)');
await admin.query("DELETE FROM fstore_feature_values WHERE entity = 'bench'").catch(() => undefined);
const csv = join(dir, 'values.tsv');
let text = '';
for (let i = 0; i < rows; i++) for (let f = 0; f < FEATURES; f++) text += `bench\tf${f}\tk${i}\t${batch.eventTimes[i]}\t${batch.columns[f]!.values[i]}\n`;
writeFileSync(csv, text);
let t = performance.now();
execFileSync('psql', [pgUrl, '-q', '-c', `\\copy bench_raw_copy FROM '${csv}'`]);
report['pg_raw_copy_values_per_s'] = values / seconds(t);

const offline = await PostgresOfflineStore.open(pgUrl);
t = performance.now();
await offline.write(batch, Date.now());
report['pg_fstore_write_values_per_s'] = values / seconds(t);
t = performance.now();
await offline.write(batch, Date.now()); // the same batch again: idempotent upsert path
report['pg_fstore_rewrite_values_per_s'] = values / seconds(t);
await offline.close();
await admin.query("DROP TABLE bench_raw_copy; DELETE FROM fstore_feature_values WHERE entity = 'bench'");
await admin.end();

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
t = performance.now();
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
