import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformPreview } from '../../../shared/api/transforms.js';
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

  it('explains an unset connection variable and a missing table', async () => {
    const unset = await s.post('/api/data-sources/', { name: 'nowhere', type: 'postgres', connection: 'env:FSTORE_TEST_UNSET_DB', table: 'pedidos' });
    expect(unset.statusCode).toBe(502);
    expect(unset.json().error.message).toMatch(/FSTORE_TEST_UNSET_DB .* not set/);
    const missing = await s.post('/api/data-sources/', { name: 'missing', type: 'postgres', connection: `env:${ENV}`, table: 'nope' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.message).toMatch(/nope/);
  });
});
