import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFStoreClient, FStoreApiError, type FetchLike } from '@shared/api/client.js';
import { startTestService, type TestService } from './helpers.js';

/** Saved connections (docs/ingestion-sql.md#saved-connections): on embedded stores and, by vitest.services.config.ts, on MongoDB. */
describe('saved connections API', () => {
  let s: TestService;
  const names = async () => ((await s.get('/api/connections/')).json() as { name: string }[]).map((c) => c.name);

  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('saves, lists, changes and deletes connections, auditing each change', async () => {
    const created = await s.post('/api/connections/', { name: 'warehouse', kind: 'postgres', url: 'env:WAREHOUSE_URL', description: 'Data warehouse' }, { 'x-fstore-user': 'ana' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ name: 'warehouse', kind: 'postgres', url: 'env:WAREHOUSE_URL', description: 'Data warehouse', created_by: 'ana' });
    const kafka = await s.post('/api/connections/', { name: 'events', kind: 'kafka', url: 'broker-1:9092,broker-2:9092' });
    expect(kafka.statusCode, kafka.body).toBe(201);
    expect(await names()).toEqual(['events', 'warehouse']);

    const changed = await s.put('/api/connections/warehouse', { name: 'warehouse', kind: 'postgres', url: 'postgres://db.internal:5432/dw' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ url: 'postgres://db.internal:5432/dw', description: '', created_by: 'ana' });
    expect((await s.get('/api/connections/warehouse')).json().url).toBe('postgres://db.internal:5432/dw');

    expect((await s.del('/api/connections/events')).statusCode).toBe(204);
    expect(await names()).toEqual(['warehouse']);
    const audit = (await s.get('/api/audit?kind=connection')).json() as { action: string; name: string }[];
    expect(audit.map((a) => `${a.action} ${a.name}`)).toEqual(['connection.delete events', 'connection.update warehouse', 'connection.create events', 'connection.create warehouse']);
  });

  it('refuses passwords, bad URLs, duplicates, renames and unknown names with a 4xx, writing nothing', async () => {
    const before = await names();
    const post = (body: Record<string, unknown>) => s.post('/api/connections/', body);

    const password = await post({ name: 'leaky', kind: 'postgres', url: 'postgres://u:s3cret@db:5432/app' });
    expect(password.statusCode).toBe(400);
    expect(password.json().error.message).toMatch(/^url carries a credential .*env:VARIABLE/);
    expect(password.body).not.toContain('s3cret');
    expect((await post({ name: 'not_pg', kind: 'postgres', url: 'mysql://db/app' })).json().error.message).toBe('url must be env:VARIABLE or a postgres:// URL');
    expect((await post({ name: 'bad_env', kind: 'postgres', url: 'env:lower' })).statusCode).toBe(400);
    const brokers = await post({ name: 'bad_kafka', kind: 'kafka', url: 'sasl://user:pw@broker:9092' });
    expect(brokers.statusCode).toBe(400);
    expect(brokers.json().error.message).toMatch(/^url must be env:VARIABLE or Kafka brokers as host:port/);
    expect((await post({ name: 'Bad Name', kind: 'postgres', url: 'env:X' })).statusCode).toBe(400);
    expect((await post({ name: 'other', kind: 'mysql', url: 'env:X' })).statusCode).toBe(400);

    const twice = await post({ name: 'warehouse', kind: 'postgres', url: 'env:OTHER' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('FSTORE_ALREADY_EXISTS');
    const rename = await s.put('/api/connections/warehouse', { name: 'dw', kind: 'postgres', url: 'env:X' });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().error.message).toMatch(/cannot be renamed/);
    const leakyUpdate = await s.put('/api/connections/warehouse', { name: 'warehouse', kind: 'postgres', url: 'postgres://u:pw@db/app' });
    expect(leakyUpdate.statusCode).toBe(400);

    for (const res of [
      await s.get('/api/connections/nope'),
      await s.put('/api/connections/nope', { name: 'nope', kind: 'postgres', url: 'env:X' }),
      await s.del('/api/connections/nope'),
      await s.post('/api/connections/nope/test', {}),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'FSTORE_CONNECTION_NOT_FOUND', message: "No saved connection named 'nope'" });
    }
    expect(await names()).toEqual(before);
    expect((await s.get('/api/connections/warehouse')).json().url).toBe('postgres://db.internal:5432/dw');
  });

  it('resolves conn:NAME where a PostgreSQL URL is taken, and refuses unknown or Kafka names there', async () => {
    expect((await s.post('/api/connections/', { name: 'stream', kind: 'kafka', url: 'env:KAFKA_BROKERS' })).statusCode).toBe(201);
    const source = (connection: string) => s.post('/api/data-sources/', { name: 'orders', type: 'postgres', connection, table: 'orders' });
    const unknown = await source('conn:missing');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toBe("connection: no saved connection named 'missing' (GET /api/connections/ lists them)");
    const kafka = await source('conn:stream');
    expect(kafka.statusCode).toBe(400);
    expect(kafka.json().error.message).toBe("connection: 'stream' is a kafka connection, not a PostgreSQL one");
    expect((await s.get('/api/data-sources/')).json()).toEqual([]);

    const pull = (connection: string) => s.post('/api/jobs/sql-pull/customer/orders', { connection, table: 'orders', timestamp_column: 'updated_at' });
    expect((await pull('conn:missing')).statusCode).toBe(400);
    expect((await pull('conn:stream')).statusCode).toBe(400);
    expect((await s.get('/api/jobs')).json().filter((j: { kind: string }) => j.kind === 'sql_pull')).toEqual([]);
  });

  it('tests a connection: what failed, with no secret, as an answer', async () => {
    expect((await s.post('/api/connections/', { name: 'closed', kind: 'postgres', url: 'postgres://127.0.0.1:1/app' })).statusCode).toBe(201);
    const closed = await s.post('/api/connections/closed/test', {});
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ ok: false, message: expect.stringMatching(/ECONNREFUSED|connect/) });

    expect((await s.post('/api/connections/', { name: 'unset', kind: 'postgres', url: 'env:FSTORE_TEST_UNSET_CONNECTION_URL' })).statusCode).toBe(201);
    const unset = (await s.post('/api/connections/unset/test', {})).json();
    expect(unset).toMatchObject({ ok: false, message: 'The environment variable FSTORE_TEST_UNSET_CONNECTION_URL (the source\'s connection) is not set on the server' });
  });

  it('works through the TypeScript client', async () => {
    // A fetch through Fastify's inject: the real routes, no socket.
    const fetch: FetchLike = async (url, init) => {
      const res = await s.app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.replace('http://fstore.test', ''),
        headers: init?.headers ?? {},
        ...(init?.body !== undefined ? { payload: init.body } : {}),
      });
      return { ok: res.statusCode < 400, status: res.statusCode, headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string) ?? null }, json: async () => res.json(), text: async () => res.body };
    };
    const client = createFStoreClient({ baseUrl: 'http://fstore.test', fetch });
    expect(await client.connections.create({ name: 'typed', kind: 'kafka', url: 'localhost:1' })).toMatchObject({ name: 'typed', kind: 'kafka' });
    expect((await client.connections.update('typed', { name: 'typed', kind: 'kafka', url: 'localhost:2' })).url).toBe('localhost:2');
    expect((await client.connections.get('typed')).url).toBe('localhost:2');
    expect((await client.connections.list()).map((c) => c.name)).toContain('typed');
    expect(await client.connections.test('typed')).toMatchObject({ ok: false });
    await client.connections.delete('typed');
    const gone = await client.connections.get('typed').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(FStoreApiError);
    expect((gone as FStoreApiError).code).toBe('FSTORE_CONNECTION_NOT_FOUND');
  });
});
