import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformPreview } from '@shared/api/transforms.js';
import { startTestService, waitForJob, type TestService } from '../helpers.js';
import { freshPostgresDatabase } from './service-urls.js';

/** A PostgreSQL table as a named data source of SQL transforms, with the URL kept out of the registry. */
describe('PostgreSQL data sources for transforms', () => {
  let s: TestService;
  let source: { url: string; drop(): Promise<void> };
  const ENV = 'FSTORE_TEST_SHOP_DB';


  beforeAll(async () => {
    s = await startTestService();
    source = await freshPostgresDatabase();
    const db = new pg.Client({ connectionString: source.url });
    await db.connect();
    await db.query(`
      CREATE TABLE pedidos (pedido_id int PRIMARY KEY, cliente_id text, total numeric(12,2), criado_em timestamptz);
      INSERT INTO pedidos VALUES
        (1, 'c1', 10.5, '2025-02-01T00:00:00Z'), (2, 'c1', 99.5, '2025-02-02T00:00:00Z'), (3, 'c2', 20, '2025-02-03T00:00:00Z');
    `);
    await db.end();
    process.env[ENV] = source.url;
  });
  afterAll(async () => {
    delete process.env[ENV];
    await s?.close();
    await source?.drop();
  });

  it('takes a saved connection (conn:NAME) instead of the URL, storing the env: reference it names', async () => {
    const saved = await s.post('/api/connections/', { name: 'shop', kind: 'postgres', url: `env:${ENV}` });
    expect(saved.statusCode, saved.body).toBe(201);
    const tested = (await s.post('/api/connections/shop/test', {})).json();
    expect(tested).toMatchObject({ ok: true, message: expect.stringMatching(/^PostgreSQL \d+/) });

    const created = await s.post('/api/data-sources/', { name: 'pedidos_saved', type: 'postgres', connection: 'conn:shop', table: 'pedidos' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ connection: `env:${ENV}`, columns: expect.arrayContaining([{ name: 'pedido_id', type: 'integer' }]) });
    expect(JSON.stringify(created.json())).not.toContain(source.url);
  });

  it('registers the table with its schema, previews and runs a SQL transform over it', async () => {
    const created = await s.post('/api/data-sources/', { name: 'pedidos', type: 'postgres', connection: `env:${ENV}`, table: 'pedidos' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().columns).toEqual([
      { name: 'pedido_id', type: 'integer' },
      { name: 'cliente_id', type: 'text' },
      { name: 'total', type: 'numeric' },
      { name: 'criado_em', type: 'timestamp with time zone' },
    ]);
    expect(JSON.stringify(created.json())).not.toContain(source.url);

    const code = 'SELECT cliente_id, max(criado_em) AS event_time, sum(total) AS cliente_total_pedidos, count(*) AS cliente_num_pedidos FROM pedidos GROUP BY cliente_id ORDER BY cliente_id';
    const preview = await s.post('/api/transforms/preview', { language: 'sql', code, sources: ['pedidos'], entity: 'cliente' });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as TransformPreview;
    expect(p.rows).toEqual([
      { cliente_id: 'c1', event_time: '2025-02-02T00:00:00.000Z', cliente_total_pedidos: 110, cliente_num_pedidos: 2 },
      { cliente_id: 'c2', event_time: '2025-02-03T00:00:00.000Z', cliente_total_pedidos: 20, cliente_num_pedidos: 1 },
    ]);
    expect(p.source_rows).toEqual({ pedidos: 3 });

    expect((await s.post('/api/transforms/', { name: 'cliente_pedidos', language: 'sql', code, sources: ['pedidos'], entity: 'cliente' })).statusCode).toBe(201);
    const job = await waitForJob(s, (await s.post('/api/transforms/cliente_pedidos/runs', {})).json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const online = (await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: ['cliente_total_pedidos'] })).json();
    expect(online.results[0].features.cliente_total_pedidos).toMatchObject({ value: 110, event_timestamp: '2025-02-02T00:00:00.000Z' });
  });

  it('refuses a password in a query parameter although the server takes it; a pull with one shows it nowhere', async () => {
    // The server's password in ?password= instead of the user part: PostgreSQL accepts it.
    const url = new URL(source.url);
    url.searchParams.set('password', decodeURIComponent(url.password));
    url.password = '';
    const withQueryPassword = url.toString();
    const direct = new pg.Client({ connectionString: withQueryPassword });
    await direct.connect();
    await direct.end();

    const created = await s.post('/api/data-sources/', { name: 'pedidos_pw', type: 'postgres', connection: withQueryPassword, table: 'pedidos' });
    expect(created.statusCode, created.body).toBe(400);
    expect(created.json().error.message).toMatch(/query parameter 'password'.*env:VARIABLE/);
    const updated = await s.put('/api/data-sources/pedidos', { connection: withQueryPassword });
    expect(updated.statusCode, updated.body).toBe(400);
    const applied = await s.post('/api/definitions/apply', { bundle: { data_sources: [{ name: 'pedidos_pw', type: 'postgres', connection: withQueryPassword, table: 'pedidos' }] } });
    expect(applied.statusCode, applied.body).toBe(400);
    const pulled = await s.post('/api/jobs/sql-pull/cliente/pedidos_pw', { connection: withQueryPassword, table: 'pedidos', timestamp_column: 'criado_em' });
    expect(pulled.statusCode, pulled.body).toBe(202);
    const job = await waitForJob(s, pulled.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');

    // Every route a reader may GET that could show a URL: the password (user part or query) is in none.
    const jobs = (await s.get('/api/jobs/?limit=1000')).json() as { id: string }[];
    const pages = ['/api/data-sources/', '/api/data-sources/pedidos', '/api/data-sources/pedidos/versions', '/api/definitions/export', '/api/audit?limit=1000', '/api/jobs/?limit=1000', ...jobs.map((j) => `/api/jobs/${j.id}`)];
    for (const page of pages) {
      const body = (await s.get(page)).body;
      expect(body, page).not.toMatch(/password=(?!\*\*\*)/i);
      expect(body, page).not.toContain(`:${new URL(source.url).password}@`);
    }
    expect((await s.get('/api/data-sources/pedidos_pw')).statusCode).toBe(404);
  });

  it('explains an unset connection variable and a missing table', async () => {
    const unset = await s.post('/api/data-sources/', { name: 'nowhere', type: 'postgres', connection: 'env:FSTORE_TEST_UNSET_DB', table: 'pedidos' });
    expect(unset.statusCode).toBe(502);
    expect(unset.json().error.message).toMatch(/FSTORE_TEST_UNSET_DB .* not set/);
    const missing = await s.post('/api/data-sources/', { name: 'missing', type: 'postgres', connection: `env:${ENV}`, table: 'nope' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.message).toMatch(/nope/);
  });
});
