import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import type { TrainingSetJobResult, TrainingSetSummary } from '@shared/api/serving.js';
import { freshDataDir, startTestService, waitForJob, type TestService } from '../helpers.js';
import { freshPostgresDatabase } from './service-urls.js';

/** Training-set labels from a query on a registered PostgreSQL source: run read-only on its database. */
describe('labels from a query on a PostgreSQL data source', () => {
  let s: TestService;
  let source: { url: string; drop(): Promise<void> };
  const ENV = 'FSTORE_TEST_LABELS_DB';

  beforeAll(async () => {
    source = await freshPostgresDatabase();
    const db = new pg.Client({ connectionString: source.url });
    await db.connect();
    await db.query(`
      CREATE TABLE orders (order_id int PRIMARY KEY, customer text, placed_at timestamptz, fraud boolean);
      INSERT INTO orders VALUES
        (1, 'u1', '2025-01-06T00:00:00Z', true), (2, 'u1', '2025-01-12T00:00:00Z', false),
        (3, 'u2', '2024-12-31T00:00:00Z', true), (4, 'u3', '2025-01-06T00:00:00Z', false);
      CREATE TABLE refunds (order_id int, refunded boolean);
      INSERT INTO refunds VALUES (2, true);
      CREATE SEQUENCE counter;
    `);
    await db.end();
    process.env[ENV] = source.url;
    s = await startTestService(freshDataDir(), { labelQueryMaxRows: 3, labelQueryTimeoutMs: 1000 });
    await s.post('/api/feature-groups/', { name: 'perfil', entity: 'usuario' });
    await s.post('/api/ingest/usuario/perfil', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_plano: 'free' },
        { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_plano: 'pro' },
        { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_plano: 'free' },
      ],
    });
    const created = await s.post('/api/data-sources/', { name: 'pg_orders', type: 'postgres', connection: `env:${ENV}`, table: 'orders' });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    delete process.env[ENV];
    await s?.close();
    await source?.drop();
  });

  const submit = (query: string, extra: Record<string, unknown> = {}) =>
    s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano'], labels: { source: 'pg_orders', query }, ...extra });

  it('runs the query on the source database (the source by its name, other tables too) and joins the features', async () => {
    const query = `SELECT o.customer AS entity_key, o.placed_at AS timestamp, o.fraud, coalesce(r.refunded, false) AS refunded
                   FROM pg_orders o LEFT JOIN refunds r USING (order_id) WHERE o.customer <> 'u3' ORDER BY o.order_id`;
    const res = await submit(query);
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(s, (res.json() as Job).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect((job.result as unknown as TrainingSetJobResult).columns).toEqual(['entity_key', 'timestamp', 'fraud', 'refunded', 'plano']);
    const summary = (await s.get(`/api/jobs/${job.id}/summary`)).json() as TrainingSetSummary;
    expect(summary.preview).toEqual([
      ['u1', '2025-01-06T00:00:00.000Z', true, false, 'free'],
      ['u1', '2025-01-12T00:00:00.000Z', false, true, 'pro'],
      ['u2', '2024-12-31T00:00:00.000Z', true, false, null],
    ]);
  });

  it('refuses, before any job: a missing time column (400 naming it), a second statement (422), an unknown source (404); a write fails its job', async () => {
    const missing = await submit('SELECT customer AS entity_key FROM orders');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain("The result of the label query on 'pg_orders' has no column 'timestamp'");
    const two = await submit('SELECT customer AS entity_key, placed_at AS timestamp FROM orders; DROP TABLE orders');
    expect(two.statusCode).toBe(422);
    const unknown = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano'], labels: { source: 'nope', query: 'SELECT 1' } });
    expect(unknown.statusCode).toBe(404);
    // The check reads no rows, so a write in the select list is stopped by the read-only transaction when the job runs.
    const writes = await waitForJob(s, (await submit("SELECT customer AS entity_key, placed_at AS timestamp, nextval('counter') AS n FROM orders WHERE order_id = 1")).json().id);
    expect(writes.error).toMatchObject({ code: 'FSTORE_SOURCE_QUERY_FAILED' });
    expect(writes.error?.message).toMatch(/read-only transaction/);
    // Nothing changed in the source.
    const db = new pg.Client({ connectionString: source.url });
    await db.connect();
    expect((await db.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(4);
    expect((await db.query('SELECT last_value, is_called FROM counter')).rows[0].is_called).toBe(false);
    await db.end();
  });

  it('fails the job naming the limit past labelQueryMaxRows or labelQueryTimeoutMs', async () => {
    const many = await waitForJob(s, (await submit('SELECT customer AS entity_key, placed_at AS timestamp FROM orders')).json().id);
    expect(many.error).toMatchObject({ code: 'FSTORE_LIMIT_EXCEEDED', details: { limit: 'labelQueryMaxRows', value: 3 } });
    const slow = await waitForJob(s, (await submit('SELECT customer AS entity_key, placed_at AS timestamp FROM orders, pg_sleep(5) WHERE order_id = 1')).json().id);
    expect(slow.error).toMatchObject({ code: 'FSTORE_LIMIT_EXCEEDED', details: { limit: 'labelQueryTimeoutMs', value: 1000 } });
  });
});
