import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { serviceChildEnv, startTestService, waitForJob, type TestService } from '../helpers.js';
import { freshPostgresDatabase } from './service-urls.js';
import { fstoreSparkProcesses, sparkConfig } from './spark-helpers.js';

/**
 * The Spark engine against the embedded one on the same data: two services, one running every
 * transform on DuckDB and one on Spark (local mode), must end up with the same feature values.
 * spark-submit starts a JVM per job, so this file runs a handful of jobs only.
 */
const spark = sparkConfig();
const SPARK_SECONDS = 600;
const execFileAsync = promisify(execFile);
const FSTORE_BIN = resolve(import.meta.dirname, '../../../bin/fstore.js');

const TX_CSV = `user_id,amount,event_time,kind
u1,10.5,2025-03-01 09:00:00,card
u1,20,2025-03-01 18:30:00,cash
u1,4.25,2025-03-02 08:15:00,card
u2,100,2025-03-01 12:00:00,card
u2,50,2025-03-03 23:59:59,transfer
u3,7,2025-03-02 10:00:00,cash
`;

// DuckDB-dialect features the translation has to carry: date_trunc, strftime, count(DISTINCT), round, a join.
const USER_DAILY_SQL = `SELECT t.user_id,
       date_trunc('day', t.event_time) AS event_time,
       sum(t.amount) AS user_daily_spend,
       count(*) AS user_daily_tx,
       count(DISTINCT t.kind) AS user_daily_kinds,
       round(avg(t.amount), 2) AS user_daily_avg,
       strftime(max(t.event_time), '%H:%M') AS user_daily_last_clock,
       max(u.segment) AS user_segment
FROM tx t JOIN users u ON u.user_id = t.user_id
GROUP BY t.user_id, date_trunc('day', t.event_time)`;
const USER_FEATURES = ['user_daily_spend', 'user_daily_tx', 'user_daily_kinds', 'user_daily_avg', 'user_daily_last_clock', 'user_segment'];

const ORDERS_SQL = 'SELECT customer_id, max(created_at) AS event_time, sum(total) AS customer_total, count(*) AS customer_orders FROM orders GROUP BY customer_id';
const CUSTOMER_FEATURES = ['customer_total', 'customer_orders'];
const ORDERS_ENV = 'FSTORE_TEST_SPARK_ORDERS_DB';

describe.skipIf('skipped' in spark)('Spark engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fstore-spark-'));
  let duck: TestService;
  let onSpark: TestService;
  let orders: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    writeFileSync(join(dir, 'tx.csv'), TX_CSV);
    writeFileSync(join(dir, 'broken.csv'), TX_CSV);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM (VALUES ('u1', 'gold'), ('u2', 'silver'), ('u3', 'gold')) v(user_id, segment)) TO '${join(dir, 'users.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    orders = await freshPostgresDatabase();
    const client = new pg.Client({ connectionString: orders.url });
    await client.connect();
    await client.query(`
      CREATE TABLE orders (order_id int PRIMARY KEY, customer_id text, total numeric(12,2), created_at timestamptz);
      INSERT INTO orders VALUES (1, 'c1', 10.5, '2025-02-01T00:00:00Z'), (2, 'c1', 99.5, '2025-02-02T10:00:00Z'), (3, 'c2', 20, '2025-02-03T00:00:00Z');`);
    await client.end();
    process.env[ORDERS_ENV] = orders.url;
    duck = await startTestService(undefined, { fileSourceDirs: [dir] });
    onSpark = await startTestService(undefined, { fileSourceDirs: [dir], ...(spark as object) });
    for (const s of [duck, onSpark]) await publishAll(s, dir);
  });
  afterAll(async () => {
    delete process.env[ORDERS_ENV];
    await duck?.close();
    await onSpark?.close();
    await orders?.drop();
  });

  it('runs a transform over CSV and Parquet files to the same feature values as DuckDB', { timeout: SPARK_SECONDS * 1000 }, async () => {
    const onDuck = await run(duck, 'user_daily', 'duckdb');
    expect(onDuck.state, JSON.stringify(onDuck.error)).toBe('succeeded');
    const job = await run(onSpark, 'user_daily', 'spark');
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ engine: 'spark', rows: 5 });
    expect(job.title).toMatch(/on spark$/);
    // Spark's driver output is the job's log.
    const logs = (await onSpark.get(`/api/jobs/${job.id}/logs`)).json() as { lines: string[] };
    expect(logs.lines.some((l) => l.includes('SparkContext'))).toBe(true);
    // The translated SQL ran, not DuckDB's: Spark has no strftime.
    expect(String((job.result as { spark_sql: string[] }).spark_sql)).toMatch(/DATE_FORMAT/);
    const expected = await trainingRange(duck, 'user', USER_FEATURES);
    expect(expected).toHaveLength(5);
    expect(expected[0]).toMatchObject({ entity_key: 'u1', event_timestamp: '2025-03-01T00:00:00.000Z', user_daily_spend: 30.5, user_daily_tx: 2, user_daily_last_clock: '18:30' });
    expect(await trainingRange(onSpark, 'user', USER_FEATURES)).toEqual(expected);
    // Online: each key's newest row (the two services share one Redis in this suite, so they are not compared with each other).
    const served = (await online(onSpark, 'user', ['u1', 'u2', 'u3'], USER_FEATURES)) as { entity_key: string; features: Record<string, { value: unknown; event_timestamp: string }> }[];
    for (const result of served) {
      const newest = expected.filter((r) => r['entity_key'] === result.entity_key).at(-1)!;
      for (const f of USER_FEATURES) expect(result.features[f], `${result.entity_key}.${f}`).toMatchObject({ value: newest[f], event_timestamp: newest['event_timestamp'] });
    }
  });

  it('reads a PostgreSQL source through JDBC to the same values as DuckDB', { timeout: SPARK_SECONDS * 1000 }, async () => {
    expect((await run(duck, 'customer_totals', 'duckdb')).state).toBe('succeeded');
    const job = await run(onSpark, 'customer_totals', 'spark');
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const expected = await trainingRange(duck, 'customer', CUSTOMER_FEATURES);
    expect(expected).toEqual([
      { entity_key: 'c1', event_timestamp: '2025-02-02T10:00:00.000Z', customer_total: 110, customer_orders: 2 },
      { entity_key: 'c2', event_timestamp: '2025-02-03T00:00:00.000Z', customer_total: 20, customer_orders: 1 },
    ]);
    expect(await trainingRange(onSpark, 'customer', CUSTOMER_FEATURES)).toEqual(expected);
  });

  it('builds a point-in-time training set on Spark equal to the offline store join, row for row', { timeout: SPARK_SECONDS * 1000 }, async () => {
    // Before any value, between values, exactly at one, after all; an unknown key; duplicate labels; a label column.
    const rows = [
      { entity_key: 'u1', timestamp: '2025-02-28T00:00:00Z', label: 0 },
      { entity_key: 'u1', timestamp: '2025-03-01T12:00:00Z', label: 1 },
      { entity_key: 'u1', timestamp: '2025-03-02T00:00:00Z', label: 0 },
      { entity_key: 'u1', timestamp: '2025-03-02T00:00:00Z', label: 1 },
      { entity_key: 'u2', timestamp: '2025-04-01', label: 1 },
      { entity_key: 'nobody', timestamp: '2025-03-05', label: 0 },
      { entity_key: 'u3', timestamp: '2025-03-01T23:59:59Z', label: 0 },
    ];
    const body = { entity: 'user', feature_list: USER_FEATURES, rows };
    const embedded = await onSpark.post('/api/training/point-in-time', body);
    expect(embedded.statusCode, embedded.body).toBe(200);
    const viaSpark = await onSpark.post('/api/training/point-in-time', { ...body, engine: 'spark' });
    expect(viaSpark.statusCode, viaSpark.body).toBe(200);
    expect(viaSpark.json().rows).toEqual(embedded.json().rows);
    expect(embedded.json().rows[1]).toMatchObject({ entity_key: 'u1', label: 1, user_daily_spend: 30.5 });
    expect(embedded.json().rows[0].user_daily_spend).toBeNull();
  });

  it('builds a training set from a label file on Spark through the CLI, equal to the embedded job through the API', { timeout: SPARK_SECONDS * 1000 }, async () => {
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, 'user_id,at,label\nu1,2025-02-28T00:00:00Z,0\nu1,2025-03-01T12:00:00Z,1\nu2,2025-04-01,1\nnobody,2025-03-05,0\nu3,2025-03-01T23:59:59Z,0\n');
    const submitted = await onSpark.post('/api/jobs/training-set', {
      entity: 'user',
      feature_list: USER_FEATURES,
      labels: { path: labels },
      key_column: 'user_id',
      time_column: 'at',
      format: 'csv',
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const embedded = await waitForJob(onSpark, (submitted.json() as Job).id, SPARK_SECONDS);
    expect(embedded.state, JSON.stringify(embedded.error)).toBe('succeeded');
    const expected = (await onSpark.get(`/api/jobs/${embedded.id}/result`)).body;
    expect(expected.split('\n')[2]).toMatch(/^u1,2025-03-01 12:00:00\+00,1,30\.5,/);

    const url = await onSpark.app.listen({ host: '127.0.0.1', port: 0 });
    const out = join(dir, 'spark-training.csv');
    // Asynchronously: the service answering the CLI runs in this process.
    const cli = await execFileAsync(process.execPath, [FSTORE_BIN, 'training', '-e', 'user', '-f', USER_FEATURES.join(','), '--labels', labels, '--key-column', 'user_id', '--time-column', 'at', '--engine', 'spark', '-o', out, '--url', url], {
      encoding: 'utf8',
      timeout: SPARK_SECONDS * 1000,
      env: serviceChildEnv(),
    });
    expect(cli.stderr).toContain('5 rows × 9 columns on spark');
    expect(readFileSync(out, 'utf8')).toBe(expected);
    const [sparkJob] = (await onSpark.get('/api/jobs/?kind=training_set&limit=1')).json() as Job[];
    expect(sparkJob!.params).toMatchObject({ engine: 'spark' });
    expect(((await onSpark.get(`/api/jobs/${sparkJob!.id}/logs`)).json() as { lines: string[] }).lines.length).toBeGreaterThan(0);
  });

  it('runs a point-in-time join on Spark over the embedded offline store (history exported to Parquet)', { timeout: SPARK_SECONDS * 1000 }, async () => {
    const embeddedStores = await startTestService(undefined, { fileSourceDirs: [dir], onlineStore: null, offlineStore: null, registry: null, ...(spark as object) });
    try {
      await publishAll(embeddedStores, dir, ['user_daily']);
      expect((await run(embeddedStores, 'user_daily', 'duckdb')).state).toBe('succeeded');
      const body = {
        entity: 'user',
        feature_list: ['user_daily_spend', 'user_segment'],
        rows: [
          { entity_key: 'u1', timestamp: '2025-03-02T12:00:00Z' },
          { entity_key: 'u2', timestamp: '2025-03-02T12:00:00Z' },
          { entity_key: 'u3', timestamp: '2025-03-01T00:00:00Z' },
        ],
      };
      const embedded = (await embeddedStores.post('/api/training/point-in-time', body)).json();
      const viaSpark = await embeddedStores.post('/api/training/point-in-time', { ...body, engine: 'spark' });
      expect(viaSpark.statusCode, viaSpark.body).toBe(200);
      expect(viaSpark.json().rows).toEqual(embedded.rows);
      expect(embedded.rows[0]).toMatchObject({ user_daily_spend: 4.25, user_segment: 'gold' });
    } finally {
      await embeddedStores.close();
    }
  });

  it('reports a transform Spark cannot run with an error that names the problem', { timeout: SPARK_SECONDS * 1000 }, async () => {
    // Published while the file had the column, run after it lost it: Spark's analysis names the column.
    writeFileSync(join(dir, 'broken.csv'), TX_CSV.replace(/,kind/, '').replace(/,(card|cash|transfer)$/gm, ''));
    const job = await run(onSpark, 'broken_kinds', 'spark');
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'FSTORE_TRANSFORM_SQL' });
    expect(job.error!.message).toMatch(/kind/);
    expect(job.error!.message).toMatch(/^Spark: /);
  });

  it('cancels a running Spark job, killing spark-submit and writing nothing', { timeout: SPARK_SECONDS * 1000 }, async () => {
    const submitted = await onSpark.post('/api/transforms/late_users/runs', { engine: 'spark' });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const id = (submitted.json() as Job).id;
    // Wait until spark-submit is up, so the cancel has a process group to kill.
    for (let i = 0; i < 600 && fstoreSparkProcesses().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fstoreSparkProcesses().length).toBeGreaterThan(0);
    expect((await onSpark.post(`/api/jobs/${id}/cancel`, {})).statusCode).toBe(200);
    const job = await waitForJob(onSpark, id, SPARK_SECONDS);
    expect(job.state).toBe('cancelled');
    expect(fstoreSparkProcesses()).toEqual([]);
    expect(readdirSync(join(onSpark.dataDir, 'tmp')).filter((f) => f.startsWith('spark-'))).toEqual([]);
    const values = await onSpark.post('/api/online/features', { entity: 'user', entity_keys: ['u1'], feature_list: ['late_user_tx'] });
    expect(values.json().results[0].features.late_user_tx.value).toBeNull();
  });

  it('picks the embedded engine under auto when the sources are below sparkThresholdBytes', { timeout: SPARK_SECONDS * 1000 }, async () => {
    const submitted = await onSpark.post('/api/transforms/user_daily/runs', {});
    expect(submitted.statusCode, submitted.body).toBe(202);
    expect((submitted.json() as Job).title).toMatch(/on duckdb$/);
    const job = await waitForJob(onSpark, (submitted.json() as Job).id, SPARK_SECONDS);
    expect(job.result).toMatchObject({ engine: 'duckdb' });
  });

  it('refuses Spark for TypeScript transforms and when Spark is not configured', async () => {
    const ts = await onSpark.post('/api/transforms/ts_users/runs', { engine: 'spark' });
    expect(ts.statusCode).toBe(400);
    expect(ts.json().error.message).toMatch(/TypeScript transforms run on the embedded engine/);
    const unconfigured = await duck.post('/api/transforms/user_daily/runs', { engine: 'spark' });
    expect(unconfigured.statusCode).toBe(501);
    expect(unconfigured.json().error.message).toMatch(/sparkMaster/);
    const pit = await duck.post('/api/training/point-in-time', { entity: 'user', feature_list: ['user_segment'], rows: [{ entity_key: 'u1', timestamp: '2025-03-02' }], engine: 'spark' });
    expect(pit.statusCode).toBe(501);
  });
});

async function publishAll(s: TestService, dir: string, only?: string[]): Promise<void> {
  const sources = [
    { name: 'tx', type: 'file', path: join(dir, 'tx.csv') },
    { name: 'broken', type: 'file', path: join(dir, 'broken.csv') },
    { name: 'users', type: 'file', path: join(dir, 'users.parquet') },
    { name: 'orders', type: 'postgres', connection: `env:${ORDERS_ENV}`, table: 'orders' },
  ];
  for (const source of sources) {
    const created = await s.post('/api/data-sources/', source);
    expect(created.statusCode, created.body).toBe(201);
  }
  const transforms = [
    { name: 'user_daily', language: 'sql', code: USER_DAILY_SQL, sources: ['tx', 'users'], entity: 'user' },
    { name: 'customer_totals', language: 'sql', code: ORDERS_SQL, sources: ['orders'], entity: 'customer' },
    { name: 'broken_kinds', language: 'sql', code: 'SELECT user_id, event_time, kind AS broken_kind FROM broken', sources: ['broken'], entity: 'user' },
    // Cancelled while spark-submit runs (its JVM start alone takes many seconds).
    { name: 'late_users', language: 'sql', code: 'SELECT user_id, max(event_time) AS event_time, count(*) AS late_user_tx FROM tx GROUP BY user_id', sources: ['tx'], entity: 'user' },
    { name: 'ts_users', language: 'typescript', code: 'export default function transform(row) { return { user_id: row.user_id, ts_amount: Number(row.amount) }; }', sources: ['tx'], entity: 'user' },
  ].filter((t) => !only || only.includes(t.name));
  for (const t of transforms) {
    const published = await s.post('/api/transforms/', t);
    expect(published.statusCode, published.body).toBe(201);
  }
}

async function run(s: TestService, transform: string, engine: 'duckdb' | 'spark'): Promise<Job> {
  const submitted = await s.post(`/api/transforms/${transform}/runs`, { engine });
  expect(submitted.statusCode, submitted.body).toBe(202);
  return waitForJob(s, (submitted.json() as Job).id, SPARK_SECONDS);
}

async function trainingRange(s: TestService, entity: string, features: string[]): Promise<Record<string, unknown>[]> {
  const res = await s.post('/api/training/features', { entity, feature_list: features, start_date: '2000-01-01', end_date: '2100-01-01' });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().rows as Record<string, unknown>[]).sort((a, b) => `${String(a['entity_key'])}|${String(a['event_timestamp'])}`.localeCompare(`${String(b['entity_key'])}|${String(b['event_timestamp'])}`));
}

async function online(s: TestService, entity: string, keys: string[], features: string[]): Promise<unknown> {
  const res = await s.post('/api/online/features', { entity, entity_keys: keys, feature_list: features });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().results;
}
