import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { freshDataDir, serverStoresFor } from '../helpers.js';
import { brokers } from '../services/kcat.js';
import { waitUntil } from './private-servers.js';
import { roundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { serveChild, type ServiceChild } from './serve-child.js';

const PARTITIONS = 4;
const KEYS = 20_000;
const VERSIONS = 5; // 100k messages: every key written five times, at later and later event times
const MESSAGES = KEYS * VERSIONS;
const LONG_JOB_ROWS = 1_500_000;
const LEASE_SECONDS = 3;
const REGISTRY_BOUND_MS = 1000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Message i: key c<i mod KEYS>, its version i div KEYS an hour after the one before; value i. */
const message = (i: number) => {
  const key = `c${i % KEYS}`;
  const hour = String(Math.floor(i / KEYS)).padStart(2, '0');
  return `${key}\t${JSON.stringify({ entity_key: key, feature_name: 'conta_limite', value: i, timestamp: `2025-06-01T${hour}:00:00Z` })}`;
};

/**
 * The topology of docs/scaling.md on loopback: two `fstore serve` processes on the same Redis
 * Cluster, PostgreSQL, FerretDB and a 4-partition Kafka topic, behind a round-robin proxy. What
 * one replica does, the other sees; a replica killed (kill -9) mid-job or mid-stream loses nothing
 * and leaves nothing half-reported.
 */
describe('two replicas behind a round-robin proxy (Redis Cluster, PostgreSQL, FerretDB, Kafka)', () => {
  const topic = `fstore_topology_${Date.now()}`;
  const shared = mkdtempSync(join(tmpdir(), 'fstore-shared-'));
  const dataA = freshDataDir();
  let env: Record<string, string>;
  let offlineUrl: string;
  let a: ServiceChild;
  let b: ServiceChild;
  let proxy: RoundRobinProxy;
  const via = (s: ServiceChild | RoundRobinProxy) => async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const startA = async () => {
    a = await serveChild(dataA, [], env);
    proxy.targets[0] = a.url;
  };

  beforeAll(async () => {
    const cluster = process.env['FSTORE_TEST_REDIS_CLUSTER'];
    if (!cluster) throw new Error('FSTORE_TEST_REDIS_CLUSTER is not set: start the servers with `npm run services:up` (it starts a local Redis Cluster)');
    const admin = new Kafka({ brokers: [brokers()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    await admin.disconnect();
    const stores = await serverStoresFor(freshDataDir());
    offlineUrl = stores.offlineStore;
    env = {
      FSTORE_ONLINE_STORE: cluster,
      FSTORE_OFFLINE_STORE: stores.offlineStore,
      FSTORE_REGISTRY: stores.registry,
      FSTORE_KAFKA_BROKERS: brokers(),
      FSTORE_KAFKA_TOPICS: topic,
      FSTORE_KAFKA_GROUP_ID: `${topic}_group`,
      FSTORE_SHARED_DIR: shared,
      FSTORE_REPLICA_LEASE_SECONDS: String(LEASE_SECONDS),
      // A killed replica's partitions move after 10 s instead of the default 30.
      FSTORE_KAFKA_SESSION_TIMEOUT_MS: '10000',
    };
    proxy = await roundRobinProxy(['http://127.0.0.1:1', 'http://127.0.0.1:1']);
    [a, b] = await Promise.all([serveChild(dataA, [], env), serveChild(freshDataDir(), [], env)]);
    proxy.targets.splice(0, 2, a.url, b.url);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()].map((p) => p?.catch(() => undefined)));
    await proxy?.close();
    rmSync(shared, { recursive: true, force: true });
  });

  it('registered on A is served on B; ingested through A is read online and for training through B; every request through the proxy', async () => {
    const onA = via(a);
    expect((await onA('POST', '/api/entities/', { name: 'conta', join_key: 'conta_id' })).status).toBe(201);
    expect((await onA('POST', '/api/feature-groups/', { name: 'limites', entity: 'conta' })).status).toBe(201);
    expect((await onA('POST', '/api/features/', { name: 'conta_limite', value_type: 'INT', entity: 'conta', feature_group: 'limites' })).status).toBe(201);
    expect((await onA('POST', '/api/ingest/conta/limites', { rows: [{ conta_id: 'x1', event_timestamp: '2025-01-01T00:00:00Z', conta_limite: 7 }] })).status).toBe(200);
    await pause(REGISTRY_BOUND_MS + 100);
    const onB = via(b);
    expect((await onB('GET', '/api/features/conta_limite')).body).toMatchObject({ name: 'conta_limite', feature_group: 'limites' });
    const online = await onB('POST', '/api/online/features', { entity: 'conta', entity_keys: ['x1'], feature_list: ['conta_limite'] });
    expect(online.body.results[0].features.conta_limite).toMatchObject({ value: 7, status: 'PRESENT' });
    const training = await onB('POST', '/api/training/features', { entity: 'conta', feature_list: ['conta_limite'], start_date: '2024-12-01', end_date: '2025-02-01' });
    expect(training.body.rows).toEqual([expect.objectContaining({ entity_key: 'x1', conta_limite: 7 })]);
    // Through the proxy: each request lands on either replica, and all answer alike.
    const before = new Map(proxy.hits);
    for (let i = 0; i < 10; i++) {
      const res = await via(proxy)('POST', '/api/online/features', { entity: 'conta', entity_keys: ['x1'], feature_list: ['conta_limite'] });
      expect(res.body.results[0].features.conta_limite.value).toBe(7);
    }
    for (const url of [a.url, b.url]) expect((proxy.hits.get(url) ?? 0) - (before.get(url) ?? 0)).toBe(5);
  }, 60_000);

  it('a long job on A: after kill -9 of A, B reports it interrupted (what was committed, what to do), and nothing of it was written', async () => {
    const file = join(shared, 'long.parquet');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    await c.run(`COPY (SELECT 'j' || i AS conta_id, TIMESTAMPTZ '2025-02-01 00:00:00+00' + to_seconds(i) AS event_timestamp, i AS conta_saldo
      FROM range(${LONG_JOB_ROWS}) t(i)) TO '${file}' (FORMAT parquet)`);
    c.closeSync();
    const submitted = await fetch(`${a.url}/api/jobs/ingest/conta/saldos`, { method: 'POST', body: readFileSync(file), headers: { 'content-type': 'application/vnd.apache.parquet' } });
    expect(submitted.status).toBe(202);
    const job = (await submitted.json()) as Job;
    const onB = via(b);
    // B sees A's job and its progress while it runs; A is killed once it has rows in hand.
    await waitUntil('B to see the job on A past its first rows', async () => ((await onB('GET', `/api/jobs/${job.id}`)).body as Job).progress.rows_done > 0, 60);
    const killedAt = Date.now();
    await a.kill();
    let seen!: Job;
    await waitUntil(
      'B to report the job interrupted',
      async () => {
        seen = (await onB('GET', `/api/jobs/${job.id}`)).body as Job;
        return seen.state !== 'running';
      },
      LEASE_SECONDS * 5,
    );
    console.info(`replica-topology: job ${seen.state} on B ${Date.now() - killedAt} ms after kill -9 of A (phase '${seen.progress.phase}', ${seen.progress.rows_done} rows done)`);
    expect(seen).toMatchObject({ state: 'failed', error: { code: 'FSTORE_INTERRUPTED' } });
    expect(seen.error!.message).toMatch(/^The replica .+ stopped/);
    // The batch is one transaction: either none or all of its rows are offline (none, as it died before its commit).
    const client = new pg.Client({ connectionString: offlineUrl });
    await client.connect();
    try {
      const table = await client.query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'fstore_offline' AND table_name = 'saldos'`);
      const rows = table.rows[0]!.n === '0' ? 0 : Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM fstore_offline.saldos')).rows[0]!.n);
      expect([0, LONG_JOB_ROWS]).toContain(rows);
    } finally {
      await client.end();
    }
    // Listed by both replicas alike once A is back.
    await startA();
    expect(((await via(a)('GET', `/api/jobs/${job.id}`)).body as Job).state).toBe('failed');
  }, 180_000);

  it('100k Kafka messages while A is killed and restarted: each stored offline exactly once, online serves every key its newest value', async () => {
    const produce = (from: number, to: number) =>
      execFileSync('kcat', ['-b', brokers(), '-t', topic, '-P', '-K', '\t', '-X', 'message.timeout.ms=60000'], {
        input: `${Array.from({ length: to - from }, (_, i) => message(from + i)).join('\n')}\n`,
        stdio: ['pipe', 'ignore', 'pipe'],
        timeout: 90_000,
      });
    await waitUntil('A back in the consumer group', async () => (await via(a)('GET', '/api/streaming/status')).body.partitions.length > 0, 90);
    produce(0, MESSAGES / 2);
    await waitUntil('A to be part-way through its partitions', async () => (await via(a)('GET', '/api/streaming/status')).body.messages_consumed > 1000, 60);
    const consumedByA = (await via(a)('GET', '/api/streaming/status')).body.messages_consumed as number;
    await a.kill();
    produce(MESSAGES / 2, MESSAGES);
    await startA(); // the same data folder and configuration: it rejoins the group
    const client = new pg.Client({ connectionString: offlineUrl });
    await client.connect();
    try {
      const stored = async () => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM fstore_offline.limites WHERE entity_key LIKE 'c%'`)).rows[0]!.n);
      await waitUntil(`${MESSAGES} rows offline`, async () => (await stored()) >= MESSAGES, 180);
      await pause(2000); // anything re-read late would show up now
      const counts = await client.query<{ rows: string; distinct_rows: string; total: string }>(
        `SELECT count(*) AS rows, count(DISTINCT (entity_key, event_time)) AS distinct_rows, sum(conta_limite) AS total FROM fstore_offline.limites WHERE entity_key LIKE 'c%'`,
      );
      const { rows, distinct_rows } = counts.rows[0]!;
      console.info(`replica-topology: ${MESSAGES} messages sent; A read ${consumedByA} before kill -9; offline rows ${rows}, distinct (key, time) ${distinct_rows}`);
      expect(Number(rows)).toBe(MESSAGES);
      expect(Number(distinct_rows)).toBe(MESSAGES);
      // Every message's value is stored at its own (key, time): the sum is that of 0..MESSAGES-1.
      expect(Number(counts.rows[0]!.total)).toBe((MESSAGES * (MESSAGES - 1)) / 2);
    } finally {
      await client.end();
    }
    // Online, through the proxy (so through both replicas): each key's newest value, version 4.
    for (let start = 0; start < KEYS; start += 5000) {
      const keys = Array.from({ length: 5000 }, (_, i) => `c${start + i}`);
      const res = await via(proxy)('POST', '/api/online/features', { entity: 'conta', entity_keys: keys, feature_list: ['conta_limite'] });
      expect(res.status).toBe(200);
      const values = (res.body.results as { features: { conta_limite: { value: number } } }[]).map((r) => r.features.conta_limite.value);
      expect(values).toEqual(keys.map((_, i) => (VERSIONS - 1) * KEYS + start + i));
    }
  }, 420_000);
});
