import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineageGraph, PublishPlan, TransformPreview } from '@shared/api/transforms.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

const TRANSACTIONS = `user_id,transaction_amount,event_time
u1,10,2025-01-01T00:00:00Z
u1,30,2025-01-05T00:00:00Z
u2,100,2025-01-02T00:00:00Z
u1,20,2025-01-20T00:00:00Z
`;

/** The seed document's SQL transform, verbatim. */
const SEED_SQL = `SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count
FROM transactions GROUP BY user_id`;

/**
 * 7-day count and sum as of every moment: besides each event, a point just after each event leaves
 * the window, so the value drops back when no new event arrives (RANGE frames alone would keep it).
 */
const WINDOW_SQL = `WITH points AS (
  SELECT user_id, event_time, transaction_amount AS amount FROM transactions
  UNION ALL
  SELECT user_id, event_time + INTERVAL 7 DAY + INTERVAL 1 MILLISECOND, NULL FROM transactions
)
SELECT user_id, event_time,
  count(amount) OVER w AS user_tx_count_7d,
  coalesce(sum(amount) OVER w, 0) AS user_tx_sum_7d
FROM points
WINDOW w AS (PARTITION BY user_id ORDER BY event_time RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW)
QUALIFY row_number() OVER (PARTITION BY user_id, event_time ORDER BY amount NULLS FIRST) = 1`;

describe('transforms API (SQL)', () => {
  let s: TestService;
  let sourceDir: string;

  const preview = (code: string, extra: Record<string, unknown> = {}) =>
    s.post('/api/transforms/preview', { language: 'sql', code, sources: ['transactions'], entity: 'user', ...extra });

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'fstore-sources-'));
    writeFileSync(join(sourceDir, 'transactions.csv'), TRANSACTIONS);
    s = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    const created = await s.post('/api/data-sources/', { name: 'transactions', type: 'file', path: join(sourceDir, 'transactions.csv') });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(() => s.close());

  it('registers a file source with the schema read from the file', async () => {
    const source = (await s.get('/api/data-sources/transactions')).json();
    expect(source).toMatchObject({ type: 'file', format: 'csv', version: 1 });
    expect(source.columns.map((c: { name: string }) => c.name)).toEqual(['user_id', 'transaction_amount', 'event_time']);
    expect(source.columns[1].type).toBe('BIGINT');
  });

  it('previews the seed SQL: rows, roles, types, statistics', async () => {
    const res = await preview(SEED_SQL);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as TransformPreview;
    const byUser = Object.fromEntries(p.rows.map((r) => [r['user_id'], r]));
    expect(byUser['u1']).toEqual({ user_id: 'u1', avg_transaction_value: 20, transaction_count: 3 });
    expect(byUser['u2']).toEqual({ user_id: 'u2', avg_transaction_value: 100, transaction_count: 1 });
    expect(p.row_count).toBe(2);
    expect(p.columns).toEqual([
      { name: 'user_id', duck_type: 'VARCHAR', value_type: null, role: 'entity_key' },
      { name: 'avg_transaction_value', duck_type: 'DOUBLE', value_type: 'FLOAT', role: 'feature' },
      { name: 'transaction_count', duck_type: 'BIGINT', value_type: 'INT', role: 'feature' },
    ]);
    expect(p.event_time_column).toBeNull();
    expect(p.source_rows).toEqual({ transactions: 4 });
    const avg = p.stats.find((c) => c.column === 'avg_transaction_value')!;
    expect(avg).toMatchObject({ count: 2, nulls: 0, distinct: 2, min: 20, max: 100, mean: 60 });
    expect(p.warnings.join(' ')).toMatch(/no event time column/);
  });

  it('samples: head takes the first rows, random is repeatable with a seed', async () => {
    const head = (await preview('SELECT user_id, transaction_amount AS amt FROM transactions', { sample: { mode: 'head', rows: 2 } })).json() as TransformPreview;
    expect(head.rows.map((r) => r['amt'])).toEqual([10, 30]);
    expect(head.source_rows).toEqual({ transactions: 2 });
    const random = async () =>
      ((await preview('SELECT user_id, transaction_amount AS amt FROM transactions', { sample: { mode: 'random', rows: 2, seed: 7 } })).json() as TransformPreview).rows;
    const first = await random();
    expect(first).toHaveLength(2);
    expect(await random()).toEqual(first);
  });

  it('points at the line and column of a SQL error', async () => {
    const res = await preview('SELECT user_id,\n  AVG(transaction_amont) AS a\nFROM transactions GROUP BY user_id');
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('FSTORE_TRANSFORM_SQL');
    expect(error.message).toMatch(/transaction_amont/);
    expect(error.details.location).toEqual({ line: 2, column: 7 });

    const syntax = (await preview('SELECT user_id FROM\ntransactions WHERE')).json().error;
    expect(syntax.code).toBe('FSTORE_TRANSFORM_SQL');
    expect(syntax.details.location.line).toBe(2);
  });

  it('runs only one SELECT, and only over its sources', async () => {
    expect((await preview('DELETE FROM transactions')).json().error.message).toMatch(/must be a SELECT/);
    expect((await preview('SELECT 1 AS a; SELECT 2 AS b')).json().error.message).toMatch(/2 statements/);
    expect((await preview("COPY transactions TO '/tmp/x.csv'")).json().error.message).toMatch(/must be a SELECT/);
    const outside = (await preview("SELECT * FROM read_csv('/etc/passwd')")).json().error;
    expect(outside.code).toBe('FSTORE_TRANSFORM_SQL');
    expect(outside.message).toMatch(/disabled by configuration|Permission/);
    const settings = (await preview("SELECT current_setting('enable_external_access') AS user_id, 1 AS x")).json() as TransformPreview;
    expect(settings.rows[0]!['user_id']).toBe(false);
    expect((await preview('SELECT * FROM nope')).json().error.details.location).toEqual({ line: 1, column: 15 });
  });

  it('rejects bad sources and definitions with errors that name the problem', async () => {
    const unknown = await s.post('/api/transforms/preview', { language: 'sql', code: 'SELECT 1', sources: ['nope'], entity: 'user' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('FSTORE_DATA_SOURCE_NOT_FOUND');
    const outside = await s.post('/api/data-sources/', { name: 'secrets', type: 'file', path: '/etc/passwd' });
    expect(outside.statusCode).toBe(403);
    const password = await s.post('/api/data-sources/', { name: 'pg_src', type: 'postgres', connection: 'postgres://u:secret@localhost/db', table: 't' });
    expect(password.statusCode).toBe(400);
    expect(password.json().error.message).toMatch(/env:VARIABLE/);
    expect(password.json().error.message).not.toMatch(/secret/);
    const mixed = await s.post('/api/data-sources/', { name: 'mixed', type: 'file', path: join(sourceDir, 'transactions.csv'), table: 't' });
    expect(mixed.json().error.message).toMatch(/does not take 'table'/);
    const noKey = await preview('SELECT transaction_amount AS x FROM transactions');
    expect(noKey.statusCode).toBe(422);
    expect(noKey.json().error.message).toMatch(/no column 'user_id'/);
    expect((await s.get('/api/data-sources/')).json().map((d: { name: string }) => d.name)).toEqual(['transactions']);
  });

  it('plans and publishes the seed transform: a derived group and features with lineage', async () => {
    const input = { name: 'user_transactions', language: 'sql', code: SEED_SQL, sources: ['transactions'], entity: 'user' };
    const plan = (await s.post('/api/transforms/plan', input)).json() as PublishPlan;
    expect(plan.changes.map((c) => [c.kind, c.name, c.action])).toEqual([
      ['transform', 'user_transactions', 'create'],
      ['feature_group', 'user_transactions', 'create'],
      ['feature', 'avg_transaction_value', 'create'],
      ['feature', 'transaction_count', 'create'],
    ]);
    expect(plan.breaking).toBe(false);
    expect(plan.warnings.join(' ')).toMatch(/Entity 'user' does not exist/);
    expect((await s.get('/api/transforms/user_transactions')).statusCode).toBe(404);

    const published = await s.post('/api/transforms/', input);
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({ version: 1, feature_group: 'user_transactions', entity_key_column: 'user_id', event_time_column: null });
    expect((await s.get('/api/feature-groups/user_transactions')).json()).toMatchObject({ transform: 'user_transactions', source: 'transform:user_transactions' });
    expect((await s.get('/api/features/avg_transaction_value')).json()).toMatchObject({ value_type: 'FLOAT', source: 'transform:user_transactions', feature_group: 'user_transactions' });

    const job = await waitForJob(s, (await s.post('/api/transforms/user_transactions/runs', {})).json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 2, values_written: 4 });
    const online = (await s.post('/api/online/features', { entity: 'user', entity_keys: ['u1', 'u2'], feature_list: ['avg_transaction_value', 'transaction_count'] })).json();
    expect(online.results[0].features.avg_transaction_value.value).toBe(20);
    expect(online.results[1].features.transaction_count.value).toBe(1);

    const lineage = (await s.get('/api/lineage/feature/avg_transaction_value')).json() as LineageGraph;
    expect(lineage.edges).toEqual(
      expect.arrayContaining([
        { from: 'data_source:transactions', to: 'transform:user_transactions' },
        { from: 'transform:user_transactions', to: 'feature_group:user_transactions' },
        { from: 'feature_group:user_transactions', to: 'feature:avg_transaction_value' },
      ]),
    );
    expect(lineage.nodes.map((n) => n.id)).not.toContain('feature:transaction_count');
  });

  it('a changed transform plans its diff, flags breaking changes, and publishes a new version', async () => {
    const changed = {
      name: 'user_transactions',
      language: 'sql',
      code: 'SELECT user_id, CAST(AVG(transaction_amount) AS BIGINT) AS avg_transaction_value, MAX(transaction_amount) AS max_transaction_value FROM transactions GROUP BY user_id',
      sources: ['transactions'],
      entity: 'user',
    };
    const plan = (await s.post('/api/transforms/plan', changed)).json() as PublishPlan;
    const byName = Object.fromEntries(plan.changes.map((c) => [c.name + '/' + c.kind, c]));
    expect(byName['user_transactions/transform']!.action).toBe('update');
    expect(byName['user_transactions/transform']!.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['code', 'features']));
    expect(byName['avg_transaction_value/feature']).toMatchObject({ action: 'update', breaking: true, changes: [{ field: 'value_type', before: 'FLOAT', after: 'INT' }] });
    expect(byName['max_transaction_value/feature']).toMatchObject({ action: 'create', breaking: false });
    expect(byName['transaction_count/feature']).toMatchObject({ action: 'archive', breaking: true });
    expect(plan.breaking).toBe(true);
    expect(plan.dependents).toEqual(expect.arrayContaining([{ kind: 'feature_group', name: 'user_transactions' }, { kind: 'feature', name: 'transaction_count' }]));

    const stale = await s.put('/api/transforms/user_transactions', changed, { 'if-match': '7' });
    expect(stale.statusCode).toBe(409);
    const res = await s.put('/api/transforms/user_transactions', changed, { 'if-match': '1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(2);
    expect((await s.get('/api/features/transaction_count')).json().status).toBe('archived');
    const diff = (await s.get('/api/transforms/user_transactions/diff?from=1&to=2')).json();
    expect(diff.changes.map((c: { field: string }) => c.field)).toContain('code');
  });

  it('time-windowed aggregations are point-in-time correct in training', async () => {
    const published = await s.post('/api/transforms/', { name: 'user_tx_7d', language: 'sql', code: WINDOW_SQL, sources: ['transactions'], entity: 'user' });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json().event_time_column).toBe('event_time');
    const job = await waitForJob(s, (await s.post('/api/transforms/user_tx_7d/runs', {})).json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    // Hand-computed: u1 events 1 Jan (10), 5 Jan (30), 20 Jan (20); u2 2 Jan (100); window = 7 days.
    const labels: [string, string, number | null, number | null][] = [
      ['u1', '2024-12-31T00:00:00Z', null, null],
      ['u1', '2025-01-01T00:00:00Z', 1, 10],
      ['u1', '2025-01-06T00:00:00Z', 2, 40],
      ['u1', '2025-01-08T00:00:00Z', 2, 40],
      ['u1', '2025-01-10T00:00:00Z', 1, 30],
      ['u1', '2025-01-15T00:00:00Z', 0, 0],
      ['u1', '2025-01-21T00:00:00Z', 1, 20],
      ['u1', '2025-02-01T00:00:00Z', 0, 0],
      ['u2', '2025-01-03T00:00:00Z', 1, 100],
      ['u2', '2025-01-10T00:00:00Z', 0, 0],
    ];
    const res = await s.post('/api/training/point-in-time', {
      entity: 'user',
      feature_list: ['user_tx_count_7d', 'user_tx_sum_7d'],
      rows: labels.map(([entity_key, timestamp]) => ({ entity_key, timestamp })),
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { user_tx_count_7d: number | null; user_tx_sum_7d: number | null }[];
    expect(rows.map((r) => [r.user_tx_count_7d, r.user_tx_sum_7d])).toEqual(labels.map(([, , c, sum]) => [c, sum]));
  });

  it('a backfill window keeps only output rows with event times inside it', async () => {
    await s.post('/api/data-sources/', { name: 'tx_again', type: 'file', path: join(sourceDir, 'transactions.csv') });
    const code = 'SELECT user_id, event_time, transaction_amount AS user_last_amount FROM tx_again';
    expect((await s.post('/api/transforms/', { name: 'user_last', language: 'sql', code, sources: ['tx_again'], entity: 'user' })).statusCode).toBe(201);
    const job = await waitForJob(s, (await s.post('/api/transforms/user_last/runs', { start: '2025-01-02', end: '2025-01-05' })).json().id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 2 });
    expect((job.result!['warnings'] as string[]).join(' ')).toMatch(/2 of 4 output rows were outside/);
    const bad = await s.post('/api/transforms/user_last/runs', { start: 'yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/start 'yesterday'/);
    const archiveSource = await s.del('/api/data-sources/tx_again');
    expect(archiveSource.statusCode).toBe(409);
    expect(archiveSource.json().error.message).toMatch(/read by transform 'user_last'/);
  });

  it('keeps an uploaded file as a source', async () => {
    const form = new FormData();
    form.append('file', new Blob([TRANSACTIONS], { type: 'text/csv' }), 'uploaded.csv');
    const body = new Response(form);
    const upload = await s.app.inject({
      method: 'POST',
      url: '/api/uploads/',
      payload: Buffer.from(await body.arrayBuffer()),
      headers: { 'content-type': body.headers.get('content-type')! },
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const created = await s.post('/api/data-sources/', { name: 'uploaded_tx', type: 'file', upload_id: upload.json().upload_id });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().path).toContain(join(s.dataDir, 'sources'));
    const p = (await s.post('/api/transforms/preview', { language: 'sql', code: 'SELECT user_id, count(*) AS n FROM uploaded_tx GROUP BY ALL ORDER BY 1', sources: ['uploaded_tx'], entity: 'user' })).json();
    expect(p.rows).toEqual([{ user_id: 'u1', n: 3 }, { user_id: 'u2', n: 1 }]);
  });

  it('a CSV glob matching several files is a source, and a preview reads the rows of all of them', async () => {
    const folder = join(sourceDir, 'daily');
    mkdirSync(folder);
    writeFileSync(join(folder, '2025-01-01.csv'), 'user_id,transaction_amount,event_time\nu1,10.5,2025-01-01T00:00:00Z\nu2,3,2025-01-01T12:00:00Z\n');
    writeFileSync(join(folder, '2025-01-02.csv'), 'user_id,transaction_amount,event_time\nu1,7,2025-01-02T00:00:00Z\n');
    const created = await s.post('/api/data-sources/', { name: 'daily_tx', type: 'file', path: join(folder, '*.csv') });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ format: 'csv', path: join(folder, '*.csv') });
    expect(created.json().columns).toEqual([
      { name: 'user_id', type: 'VARCHAR' },
      { name: 'transaction_amount', type: 'DOUBLE' },
      { name: 'event_time', type: 'TIMESTAMP WITH TIME ZONE' },
    ]);
    for (const sample of [{ mode: 'all' }, { mode: 'head', rows: 100 }]) {
      const res = await s.post('/api/transforms/preview', {
        language: 'sql',
        code: 'SELECT user_id, sum(transaction_amount) AS user_total, count(*) AS user_n FROM daily_tx GROUP BY ALL ORDER BY 1',
        sources: ['daily_tx'],
        entity: 'user',
        sample,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toEqual([{ user_id: 'u1', user_total: 17.5, user_n: 2 }, { user_id: 'u2', user_total: 3, user_n: 1 }]);
    }
  });
});
