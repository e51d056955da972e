import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import type { TrainingSetJobResult, TrainingSetSummary } from '@shared/api/serving.js';
import { freshDataDir, startTestService, waitForJob, type TestService } from './helpers.js';

/**
 * Point-in-time training sets whose labels come from a query on a registered data source (a file
 * source here, run in DuckDB; PostgreSQL sources: services/label-query-postgres.test.ts).
 */
describe('training sets with labels from a query on a data source', () => {
  let s: TestService;
  const sourceDir = mkdtempSync(join(tmpdir(), 'fstore-label-src-'));
  writeFileSync(
    join(sourceDir, 'orders.csv'),
    'order_id,customer,placed_at,fraud\n' +
      'o1,u1,2025-01-06T00:00:00Z,1\n' + // between u1's two values: the older
      'o2,u1,2025-01-12T00:00:00Z,0\n' + // after both: the newer
      'o3,u2,2024-12-31T00:00:00Z,1\n' + // before u2's history: null
      'o4,u3,2025-01-06T00:00:00Z,0\n',
  );

  beforeAll(async () => {
    s = await startTestService(freshDataDir(), { fileSourceDirs: [sourceDir], labelQueryMaxRows: 3, labelQueryTimeoutMs: 1500 });
    await s.post('/api/feature-groups/', { name: 'perfil', entity: 'usuario' });
    await s.post('/api/ingest/usuario/perfil', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_plano: 'free' },
        { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_plano: 'pro' },
        { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_plano: 'free' },
      ],
    });
    const created = await s.post('/api/data-sources/', { name: 'orders', type: 'file', path: join(sourceDir, 'orders.csv') });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(() => s.close());

  const submit = (labels: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano'], labels, ...extra });

  it('joins the features onto the rows of the query, in its order, labels passed through', async () => {
    const query = "SELECT customer AS entity_key, placed_at AS timestamp, fraud FROM orders WHERE order_id <> 'o4' ORDER BY order_id;";
    const res = await submit({ source: 'orders', query });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(s, (res.json() as Job).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.title).toContain('query on source orders');
    const result = job.result as unknown as TrainingSetJobResult;
    expect(result).toMatchObject({ row_count: 3, columns: ['entity_key', 'timestamp', 'fraud', 'plano'] });
    const summary = (await s.get(`/api/jobs/${job.id}/summary`)).json() as TrainingSetSummary;
    expect(summary.preview).toEqual([
      ['u1', '2025-01-06T00:00:00.000Z', 1, 'free'],
      ['u1', '2025-01-12T00:00:00.000Z', 0, 'pro'],
      ['u2', '2024-12-31T00:00:00.000Z', 1, null],
    ]);
  });

  it('takes the key and time columns by name, keeping them with keep_column_names', async () => {
    const query = "SELECT customer, placed_at, fraud FROM orders WHERE customer = 'u1'";
    const res = await submit({ source: 'orders', query }, { key_column: 'customer', time_column: 'placed_at', keep_column_names: true, format: 'csv' });
    const job = await waitForJob(s, (res.json() as Job).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect((job.result as unknown as TrainingSetJobResult).columns).toEqual(['customer', 'placed_at', 'fraud', 'plano']);
  });

  it('refuses a result without the key or time column with a 400 naming it, before any job', async () => {
    const res = await submit({ source: 'orders', query: 'SELECT customer AS entity_key, fraud FROM orders' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("The result of the label query on 'orders' has no column 'timestamp'");
    expect(res.json().error.details).toMatchObject({ missing_columns: ['timestamp'], fields: ['time_column'] });
  });

  it('refuses an unknown source (404), an empty query and SQL that is not one read-only SELECT (400)', async () => {
    const unknown = await submit({ source: 'nope', query: 'SELECT 1' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('FSTORE_DATA_SOURCE_NOT_FOUND');
    const empty = await submit({ source: 'orders', query: ' ;; ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe('labels.query is empty');
    for (const query of ["COPY orders TO '/tmp/x.csv'", 'SELECT 1 AS entity_key, now() AS timestamp; DROP TABLE orders', "SELECT * FROM read_csv('/etc/passwd')"]) {
      const res = await submit({ source: 'orders', query });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe('FSTORE_TRANSFORM_SQL');
    }
  });

  it('fails the job naming labelQueryMaxRows when the result has more rows than allowed', async () => {
    const res = await submit({ source: 'orders', query: 'SELECT customer AS entity_key, placed_at AS timestamp FROM orders' });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(s, (res.json() as Job).id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'FSTORE_LIMIT_EXCEEDED', details: { limit: 'labelQueryMaxRows', value: 3 } });
    expect(job.error?.message).toContain('more than 3 rows (labelQueryMaxRows)');
  });

  it('stops a query past labelQueryTimeoutMs and fails the job naming the limit', async () => {
    const query = "SELECT 'u1' AS entity_key, TIMESTAMP '2025-01-06' AS timestamp, count(*) AS n FROM range(100000000000) a";
    const res = await submit({ source: 'orders', query });
    expect(res.statusCode, res.body).toBe(202);
    const started = Date.now();
    const job = await waitForJob(s, (res.json() as Job).id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'FSTORE_LIMIT_EXCEEDED', details: { limit: 'labelQueryTimeoutMs', value: 1500 } });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
