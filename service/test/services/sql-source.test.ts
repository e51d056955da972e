import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { startTestService, type TestService } from '../helpers.js';
import { freshPostgresDatabase } from './service-urls.js';

/** PostgreSQL tables and queries as a data source, pulled incrementally by a timestamp watermark. */
describe('SQL database sources', () => {
  let s: TestService;
  let source: { url: string; drop(): Promise<void> };
  let db: pg.Client;

  const pull = (group: string, body: Record<string, unknown>) => s.post(`/api/jobs/sql-pull/cliente/${group}`, { connection: source.url, ...body });
  const waitTerminal = async (id: string): Promise<Job> => {
    for (let i = 0; i < 600; i++) {
      const job = (await s.get(`/api/jobs/${id}`)).json() as Job;
      if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not finish`);
  };
  const pullAndWait = async (group: string, body: Record<string, unknown>): Promise<Job> => {
    const res = await pull(group, body);
    expect(res.statusCode).toBe(202);
    return waitTerminal((res.json() as Job).id);
  };
  const online = async (keys: string[], features: string[]) => {
    const res = await s.post('/api/online/features', { entity: 'cliente', entity_keys: keys, feature_list: features });
    expect(res.statusCode).toBe(200);
    return res.json().results as { entity_key: string; features: Record<string, { value: unknown; status: string; event_timestamp: string | null }> }[];
  };
  const history = (group: string) => s.ctx.stores.offline.countValues('cliente', group);
  const sqlPullJobs = async () => ((await s.get('/api/jobs/?kind=sql_pull&limit=1000')).json() as Job[]).length;

  beforeAll(async () => {
    s = await startTestService();
    source = await freshPostgresDatabase();
    db = new pg.Client({ connectionString: source.url });
    await db.connect();
    await db.query(`
      CREATE SCHEMA loja;
      CREATE TABLE loja.clientes (
        cliente_id text PRIMARY KEY, updated_at timestamptz, cliente_idade int, cliente_saldo numeric(12,2),
        cliente_visitas bigint, cliente_tags text[], cliente_ativo boolean);
      INSERT INTO loja.clientes VALUES
        ('c1', '2025-01-01 10:00:00.123456+00', 30, 100.50, 5, '{a,b}', true),
        ('c2', '2025-01-02 10:00:00+00', 40, 2.25, 7, '{c}', false),
        ('c3', '2025-01-03 10:00:00+00', 50, 0, 9, '{}', true);
      CREATE TABLE loja.pedidos (pedido_id int PRIMARY KEY, cliente_id text, total numeric(12,2), status text, criado_em timestamptz);
      INSERT INTO loja.pedidos VALUES
        (1, 'c1', 10.5, 'pago', '2025-02-01T00:00:00Z'),
        (2, 'c1', 99.9, 'cancelado', '2025-02-02T00:00:00Z'),
        (3, 'c2', 20, 'pago', '2025-02-03T00:00:00Z');
    `);
  });
  afterAll(async () => {
    await db?.end();
    await s?.close();
    await source?.drop();
  });

  it('pulls a table as a job: values are served online and in training; the password is nowhere', async () => {
    const res = await pull('perfil', { table: 'loja.clientes', timestamp_column: 'updated_at' });
    expect(res.statusCode).toBe(202);
    const submitted = res.json() as Job;
    expect(submitted.kind).toBe('sql_pull');
    expect(submitted.params['connection']).toContain('***');
    expect(submitted.params).toMatchObject({ table: '"loja"."clientes"', timestamp_column: 'updated_at', full: false });
    const job = await waitTerminal(submitted.id);
    expect(job.state).toBe('succeeded');
    expect(JSON.stringify(job)).not.toContain('fstore:fstore@');
    expect(job.result).toMatchObject({
      rows_pulled: 3,
      rows: 3,
      watermark_before: null,
      watermark_after: '2025-01-03T10:00:00Z',
      event_time_column: 'updated_at',
      entity_key_column: 'cliente_id',
    });

    const [c1, c2] = await online(['c1', 'c2'], ['cliente_idade', 'cliente_saldo', 'cliente_visitas', 'cliente_tags', 'cliente_ativo']);
    expect(c1!.features).toMatchObject({
      cliente_idade: { value: 30, status: 'PRESENT', event_timestamp: '2025-01-01T10:00:00.123Z' },
      cliente_saldo: { value: 100.5 },
      cliente_visitas: { value: 5 },
      cliente_tags: { value: ['a', 'b'] },
      cliente_ativo: { value: true },
    });
    expect(c2!.features['cliente_saldo']!.value).toBe(2.25);
    const training = await s.post('/api/training/features', { entity: 'cliente', feature_list: ['cliente_idade'], start_date: '2024-01-01', end_date: '2026-12-31' });
    expect(training.statusCode).toBe(200);
    expect(training.json().row_count).toBe(3);
  });

  it('pulls again only the rows past the watermark; an older timestamp is not read', async () => {
    await db.query(`
      INSERT INTO loja.clientes VALUES ('c4', '2025-01-05 00:00:00+00', 60, 1.5, 1, '{d}', true),
                                       ('c9', '2024-06-01 00:00:00+00', 99, 9.5, 9, '{z}', false);
      UPDATE loja.clientes SET cliente_idade = 31, updated_at = '2025-01-04 00:00:00+00' WHERE cliente_id = 'c1';
    `);
    const job = await pullAndWait('perfil', { table: 'loja.clientes', timestamp_column: 'updated_at' });
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ rows_pulled: 2, watermark_before: '2025-01-03T10:00:00Z', watermark_after: '2025-01-05T00:00:00Z' });
    const [c1, c4, c9] = await online(['c1', 'c4', 'c9'], ['cliente_idade']);
    expect(c1!.features['cliente_idade']).toMatchObject({ value: 31, event_timestamp: '2025-01-04T00:00:00.000Z' });
    expect(c4!.features['cliente_idade']!.value).toBe(60);
    expect(c9!.features['cliente_idade']!.status).toBe('NOT_FOUND');

    const none = await pullAndWait('perfil', { table: 'loja.clientes', timestamp_column: 'updated_at' });
    expect(none.state).toBe('succeeded');
    expect(none.result).toMatchObject({ rows_pulled: 0, values_written: 0, watermark_after: '2025-01-05T00:00:00Z' });
  });

  it('full: true re-reads every row and is idempotent', async () => {
    const before = await history('perfil');
    const first = await pullAndWait('perfil', { table: 'loja.clientes', timestamp_column: 'updated_at', full: true });
    expect(first.state).toBe('succeeded');
    expect(first.result).toMatchObject({ rows_pulled: 5, full: true, watermark_after: '2025-01-05T00:00:00Z' });
    // Only c9 (older than the watermark, never read incrementally) is new: its 5 features.
    expect(await history('perfil')).toBe(before + 5);
    const [c9] = await online(['c9'], ['cliente_idade']);
    expect(c9!.features['cliente_idade']!.value).toBe(99);

    const again = await pullAndWait('perfil', { table: 'loja.clientes', timestamp_column: 'updated_at', full: true });
    expect(again.result).toMatchObject({ rows_pulled: 5 });
    expect(await history('perfil')).toBe(before + 5);
  });

  it('pulls a query (JOIN and WHERE) with its own watermark', async () => {
    const query = `SELECT p.cliente_id AS cliente, p.criado_em, p.total AS cliente_ultimo_pedido, c.cliente_idade AS cliente_idade_no_pedido
      FROM loja.pedidos p JOIN loja.clientes c ON c.cliente_id = p.cliente_id
      WHERE p.status = 'pago' -- cancelled orders do not count
      ;`;
    const job = await pullAndWait('pedidos', { query, timestamp_column: 'criado_em', key_column: 'cliente' });
    expect(job.state).toBe('succeeded');
    expect(job.params['query']).toContain('JOIN');
    expect(job.result).toMatchObject({ rows_pulled: 2, watermark_after: '2025-02-03T00:00:00Z', entity_key_column: 'cliente' });
    const [c1, c2] = await online(['c1', 'c2'], ['cliente_ultimo_pedido', 'cliente_idade_no_pedido']);
    expect(c1!.features['cliente_ultimo_pedido']!.value).toBe(10.5); // the cancelled 99.9 is filtered out
    expect(c2!.features).toMatchObject({ cliente_ultimo_pedido: { value: 20 }, cliente_idade_no_pedido: { value: 40 } });

    await db.query("INSERT INTO loja.pedidos VALUES (4, 'c2', 35, 'pago', '2025-02-10T00:00:00Z'), (5, 'c2', 1, 'pago', '2025-01-01T00:00:00Z')");
    const next = await pullAndWait('pedidos', { query, timestamp_column: 'criado_em', key_column: 'cliente' });
    expect(next.result).toMatchObject({ rows_pulled: 1, watermark_before: '2025-02-03T00:00:00Z' });
  });

  it('streams a larger source through the cursor', async () => {
    await db.query(`CREATE TABLE loja.visitas AS
      SELECT 'v' || (i % 500) AS cliente_id, TIMESTAMPTZ '2025-03-01 00:00:00+00' + i * INTERVAL '1 second' AS visto_em, i AS cliente_cliques
      FROM generate_series(1, 25000) AS g(i)`);
    const job = await pullAndWait('visitas', { table: 'loja.visitas', timestamp_column: 'visto_em' });
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ rows_pulled: 25_000, rows: 25_000, values_written: 25_000 });
    const [v0] = await online(['v0'], ['cliente_cliques']);
    expect(v0!.features['cliente_cliques']!.value).toBe(25_000);
  });

  it('cancels a running pull: the job ends cancelled and the watermark stays', async () => {
    const query = 'SELECT v.cliente_id, v.visto_em, v.cliente_cliques AS cliente_lento FROM loja.visitas v, pg_sleep(1.5) AS espera';
    const res = await pull('lento', { query, timestamp_column: 'visto_em' });
    const id = (res.json() as Job).id;
    for (let i = 0; i < 100 && (await s.get(`/api/jobs/${id}`)).json().progress.phase !== 'reading source'; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await s.post(`/api/jobs/${id}/cancel`, {})).statusCode).toBe(200);
    const job = await waitTerminal(id);
    expect(job.state).toBe('cancelled');
    expect(job.error!.code).toBe('FSTORE_CANCELLED');
    const after = await pullAndWait('lento', { query, timestamp_column: 'visto_em' });
    expect(after.result).toMatchObject({ rows_pulled: 25_000, watermark_before: null });
  });

  it('keeps the watermark exact (microseconds) for timestamp and date columns', async () => {
    await db.query(`CREATE TABLE loja.leituras (cliente_id text, lido_em timestamp, dia date, cliente_leitura float8);
      INSERT INTO loja.leituras VALUES ('c1', '2025-05-01 00:00:00.000001', '2025-05-01', 1.5), ('c2', '2025-05-01 00:00:00.000002', '2025-05-02', 2.5)`);
    const first = await pullAndWait('leituras', { table: 'loja.leituras', timestamp_column: 'lido_em' });
    expect(first.result).toMatchObject({ rows_pulled: 2, watermark_after: '2025-05-01T00:00:00.000002Z' });
    await db.query("INSERT INTO loja.leituras VALUES ('c3', '2025-05-01 00:00:00.000003', '2025-05-02', 3.5)");
    const next = await pullAndWait('leituras', { table: 'loja.leituras', timestamp_column: 'lido_em' });
    expect(next.result).toMatchObject({ rows_pulled: 1, watermark_after: '2025-05-01T00:00:00.000003Z' });

    const byDay = await pullAndWait('leituras_dia', { query: 'SELECT cliente_id, dia, cliente_leitura AS cliente_leitura_dia FROM loja.leituras', timestamp_column: 'dia' });
    expect(byDay.result).toMatchObject({ rows_pulled: 3, watermark_after: '2025-05-02' });
    await db.query("INSERT INTO loja.leituras VALUES ('c4', '2025-05-03 00:00:00', '2025-05-03', 4.5)");
    const nextDay = await pullAndWait('leituras_dia', { query: 'SELECT cliente_id, dia, cliente_leitura AS cliente_leitura_dia FROM loja.leituras', timestamp_column: 'dia' });
    expect(nextDay.result).toMatchObject({ rows_pulled: 1, watermark_before: '2025-05-02', watermark_after: '2025-05-03' });
    const [c4] = await online(['c4'], ['cliente_leitura_dia']);
    expect(c4!.features['cliente_leitura_dia']).toMatchObject({ value: 4.5, event_timestamp: '2025-05-03T00:00:00.000Z' });
  });

  it('rejects unsafe or malformed requests with 400 before any job exists', async () => {
    const jobsBefore = await sqlPullJobs();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ table: 'users; drop table x', timestamp_column: 'updated_at' }, /table 'users; drop table x' is not a valid name/],
      [{ table: 'a.b.c', timestamp_column: 'updated_at' }, /not a valid name/],
      [{ table: 'loja.clientes', timestamp_column: 'updated_at" DESC --' }, /timestamp_column .* is not a valid column name/],
      [{ table: 'loja.clientes', query: 'SELECT 1', timestamp_column: 'updated_at' }, /exactly one of table or query/],
      [{ timestamp_column: 'updated_at' }, /exactly one of table or query/],
    ];
    for (const [body, message] of cases) {
      const res = await pull('perfil', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'FSTORE_VALIDATION_FAILED', message: expect.stringMatching(message) });
    }
    const mysql = await s.post('/api/jobs/sql-pull/cliente/perfil', { connection: 'mysql://u:Secr3t-pw@h/db', table: 't', timestamp_column: 'ts' });
    expect(mysql.statusCode).toBe(400);
    expect(mysql.body).not.toContain('Secr3t-pw');
    const badName = await pull('Perfil Grupo', { table: 'loja.clientes', timestamp_column: 'updated_at' });
    expect(badName.json().error.code).toBe('FSTORE_INVALID_NAME');
    expect(await sqlPullJobs()).toBe(jobsBefore);
  });

  it('runs queries read-only: a query that writes fails as a job and changes nothing', async () => {
    await db.query(`CREATE FUNCTION loja.apaga_tudo() RETURNS int LANGUAGE plpgsql AS $$ BEGIN DELETE FROM loja.clientes; RETURN 1; END $$`);
    const viaFunction = await pullAndWait('perfil', { query: 'SELECT cliente_id, updated_at, loja.apaga_tudo() AS cliente_x FROM loja.clientes', timestamp_column: 'updated_at' });
    expect(viaFunction.state).toBe('failed');
    expect(viaFunction.error).toMatchObject({ code: 'FSTORE_SOURCE_QUERY_FAILED', message: expect.stringMatching(/read-only transaction/) });
    const plainDelete = await pullAndWait('perfil', { query: 'DELETE FROM loja.clientes RETURNING *', timestamp_column: 'updated_at' });
    expect(plainDelete.state).toBe('failed');
    expect(plainDelete.error!.code).toBe('FSTORE_SOURCE_QUERY_FAILED');
    // Closing the subquery to smuggle in more statements (one that ends the READ ONLY transaction).
    const smuggled = await pullAndWait('perfil', {
      query: 'SELECT 1 AS cliente_id, now() AS updated_at) s; COMMIT; DELETE FROM loja.clientes; SELECT * FROM (SELECT 1',
      timestamp_column: 'updated_at',
    });
    expect(smuggled.state).toBe('failed');
    expect(smuggled.error!.message).toMatch(/multiple commands|syntax error/);
    expect((await db.query('SELECT count(*)::int AS n FROM loja.clientes')).rows[0].n).toBe(5);
  });

  it('fails a job with an invalid row, with the row errors, and leaves the watermark where it was', async () => {
    await db.query(`CREATE TABLE loja.ajustes (cliente_id text, updated_at timestamptz, cliente_idade text);
      INSERT INTO loja.ajustes VALUES ('c1', '2025-04-01T00:00:00Z', '32'), ('c2', '2025-04-02T00:00:00Z', 'quarenta')`);
    const failed = await pullAndWait('perfil', { table: 'loja.ajustes', timestamp_column: 'updated_at' });
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'FSTORE_INGEST_REJECTED' });
    const errors = (failed.error!.details as { errors: { row: number; column: string; value: string }[] }).errors;
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: 'cliente_idade', value: 'quarenta' })]);
    const [c1] = await online(['c1'], ['cliente_idade']);
    expect(c1!.features['cliente_idade']!.value).toBe(31); // nothing of the batch was written

    await db.query("UPDATE loja.ajustes SET cliente_idade = '41' WHERE cliente_id = 'c2'");
    const fixed = await pullAndWait('perfil', { table: 'loja.ajustes', timestamp_column: 'updated_at' });
    expect(fixed.state).toBe('succeeded');
    expect(fixed.result).toMatchObject({ rows_pulled: 2, watermark_before: null, watermark_after: '2025-04-02T00:00:00Z' });
  });

  it('explains source problems as failed jobs: unknown table, wrong column type, unreachable host', async () => {
    const missing = await pullAndWait('perfil', { table: 'loja.nao_existe', timestamp_column: 'updated_at' });
    expect(missing.error).toMatchObject({ code: 'FSTORE_SOURCE_QUERY_FAILED', message: expect.stringMatching(/relation "loja.nao_existe" does not exist/) });
    const notTime = await pullAndWait('perfil', { table: 'loja.clientes', timestamp_column: 'cliente_idade' });
    expect(notTime.error!.message).toMatch(/'cliente_idade' is of type integer; it must be a date, timestamp or timestamptz/);
    const noColumn = await pullAndWait('perfil', { table: 'loja.clientes', timestamp_column: 'criado' });
    expect(noColumn.error!.message).toMatch(/timestamp_column 'criado' is not in the source/);

    const res = await s.post('/api/jobs/sql-pull/cliente/perfil', { connection: 'postgres://leitor:Pw-n0t-in-logs@127.0.0.1:1/loja', table: 'clientes', timestamp_column: 'updated_at' });
    const down = await waitTerminal((res.json() as Job).id);
    expect(down.state).toBe('failed');
    expect(down.error).toMatchObject({ code: 'FSTORE_SOURCE_UNAVAILABLE', message: expect.stringMatching(/Could not connect to PostgreSQL at 127\.0\.0\.1:1\/loja/) });
    expect(JSON.stringify(down)).not.toContain('Pw-n0t-in-logs');
  });
});
