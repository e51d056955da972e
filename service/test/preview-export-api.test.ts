import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransformPreview } from '@shared/api/transforms.js';
import { startTestService, type TestService } from './helpers.js';

const TRANSACTIONS = `user_id,transaction_amount,event_time
u1,10,2025-01-01T00:00:00Z
u1,30,2025-01-05T00:00:00Z
u2,100,2025-01-02T00:00:00Z
`;

const SQL = `SELECT user_id, max(event_time) AS event_time, AVG(transaction_amount) AS avg_amount, COUNT(*) AS tx_count,
  list(transaction_amount ORDER BY event_time) AS amounts
FROM transactions GROUP BY user_id ORDER BY user_id`;

/** The Parquet file's column types and rows, read back with DuckDB. */
async function readParquet(bytes: Buffer): Promise<{ types: string[][]; rows: unknown[][] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'fstore-preview-')), 'preview.parquet');
  writeFileSync(file, bytes);
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const described = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    const rows = (await c.runAndReadAll(`SELECT * EXCLUDE (event_time), CAST(event_time AS VARCHAR) FROM read_parquet('${file}')`)).getRowsJS();
    return { types: described.map((d) => [String(d['column_name']), String(d['column_type'])]), rows };
  } finally {
    c.closeSync();
  }
}

describe('preview rows as Parquet', () => {
  let s: TestService;
  let preview: TransformPreview;

  beforeAll(async () => {
    const sourceDir = mkdtempSync(join(tmpdir(), 'fstore-sources-'));
    writeFileSync(join(sourceDir, 'transactions.csv'), TRANSACTIONS);
    s = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    const created = await s.post('/api/data-sources/', { name: 'transactions', type: 'file', path: join(sourceDir, 'transactions.csv') });
    expect(created.statusCode, created.body).toBe(201);
    const res = await s.post('/api/transforms/preview', { language: 'sql', code: SQL, sources: ['transactions'], entity: 'user' });
    expect(res.statusCode, res.body).toBe(200);
    preview = res.json();
  });
  afterAll(() => s.close());

  const columnsOf = (p: TransformPreview) => p.columns.map((c) => ({ name: c.name, duck_type: c.duck_type }));

  it('writes the previewed rows with the types the preview reported', async () => {
    const res = await s.post('/api/transforms/preview/parquet', { columns: columnsOf(preview), rows: preview.rows });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="preview.parquet"');
    const { types, rows } = await readParquet(res.rawPayload);
    expect(types).toEqual(preview.columns.map((c) => [c.name, c.duck_type]));
    expect(types.map(([name]) => name)).toEqual(['user_id', 'event_time', 'avg_amount', 'tx_count', 'amounts']);
    expect(rows).toEqual([
      ['u1', 20, 2n, [10n, 30n], '2025-01-05 00:00:00+00'],
      ['u2', 100, 1n, [100n], '2025-01-02 00:00:00+00'],
    ]);
  });

  it('writes types other than plain ones as JSON text, never putting them into SQL', async () => {
    const res = await s.post('/api/transforms/preview/parquet', {
      columns: [
        { name: 'event_time', duck_type: 'VARCHAR' },
        { name: 'info', duck_type: 'STRUCT(a INTEGER)' },
        { name: 'odd', duck_type: "VARCHAR'); COPY (SELECT 1) TO '/tmp/x" },
      ],
      rows: [{ event_time: 't', info: { a: 1 }, odd: 'x' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { types, rows } = await readParquet(res.rawPayload);
    expect(types).toEqual([
      ['event_time', 'VARCHAR'],
      ['info', 'JSON'],
      ['odd', 'JSON'],
    ]);
    expect(rows).toEqual([['{"a":1}', '"x"', 't']]);
  });

  it('answers 400 naming what was wrong', async () => {
    const post = (body: unknown) => s.post('/api/transforms/preview/parquet', body);
    const twice = await post({ columns: [{ name: 'a', duck_type: 'BIGINT' }, { name: 'a', duck_type: 'BIGINT' }], rows: [] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.message).toBe("Column 'a' is named twice");

    const misfit = await post({ columns: [{ name: 'n', duck_type: 'BIGINT' }], rows: [{ n: 1 }, { n: 'many' }] });
    expect(misfit.statusCode).toBe(400);
    expect(misfit.json().error.message).toMatch(/^The rows do not fit the column types: .*many/);

    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    const tooDeep = await post({ columns: [{ name: 'v', duck_type: 'JSON' }], rows: [{ v: 'ok' }, { v: deep }] });
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().error.message).toMatch(/^Row 2, column 'v': the value nests/);

    expect((await post({ columns: [], rows: [] })).statusCode).toBe(400);
    expect((await post({ columns: [{ name: 'a', duck_type: 'BIGINT' }], rows: [], extra: 1 })).statusCode).toBe(400);
  });
});
