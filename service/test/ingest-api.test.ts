import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

const CSV = `usuario_id,idade,renda,cidade,event_timestamp
user_123,25,5000.5,SP,2025-01-10T10:00:00Z
user_456,31,7000,RJ,2025-01-11T10:00:00Z
user_123,26,5100,SP,2025-02-01T00:00:00Z
`;

async function parquetOf(sql: string): Promise<Buffer> {
  const path = join(mkdtempSync(join(tmpdir(), 'fstore-pq-')), 'data.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (${sql}) TO '${path}' (FORMAT parquet)`);
  c.closeSync();
  return readFileSync(path);
}

describe('ingestion API', () => {
  let s: TestService;
  const upload = (group: string, body: string | Buffer, contentType: string, entity = 'usuario') =>
    s.app.inject({ method: 'POST', url: `/api/ingest/${entity}/${group}/upload`, payload: body, headers: { 'content-type': contentType } });
  const count = async (group: string) => (await s.get(`/api/feature-groups/${group}`)).json();

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/features/', SEED_FEATURE);
  });
  afterAll(() => s.close());

  it('ingests a CSV: maps columns to features, registers new ones with inferred types, creates the group', async () => {
    const res = await upload('demografia', CSV, 'text/csv');
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      rows: 3,
      values_written: 9,
      online_values_written: 6,
      entity_key_column: 'usuario_id',
      event_time_column: 'event_timestamp',
      features: ['usuario_idade', 'renda', 'cidade'],
      registered_features: [
        { name: 'renda', value_type: 'FLOAT' },
        { name: 'cidade', value_type: 'STRING' },
      ],
    });
    expect(report.warnings).toContain("Column 'idade' was stored as feature 'usuario_idade'");
    expect((await s.get('/api/features/usuario_idade')).json()).toMatchObject({ feature_group: 'demografia', version: 2 });
    expect((await count('demografia')).features.sort()).toEqual(['cidade', 'renda', 'usuario_idade']);
  });

  it('rejects a batch with bad rows whole, naming row, column and reason; writes nothing', async () => {
    const bad = `usuario_id,idade,renda,event_timestamp
user_1,40,10,2025-03-01T00:00:00Z
user_2,1.5,10,2025-03-01T00:00:00Z
,41,abc,2025-03-01T00:00:00Z
user_4,42,11,yesterday
`;
    const res = await upload('demografia', bad, 'text/csv');
    expect(res.statusCode).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('FSTORE_INGEST_REJECTED');
    expect(error.message).toMatch(/^3 of 4 rows are invalid, so nothing was written/);
    expect(error.details.errors).toEqual([
      { row: 2, column: 'idade', value: '1.5', reason: "expected an integer for feature 'usuario_idade' (INT)" },
      { row: 3, column: 'usuario_id', value: null, reason: 'the entity key is missing' },
      { row: 3, column: 'renda', value: 'abc', reason: "expected a finite number for feature 'renda' (FLOAT)" },
      { row: 4, column: 'event_timestamp', value: 'yesterday', reason: 'the event time is missing or not an ISO-8601 timestamp' },
    ]);
    const online = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['user_1'], feature_list: ['idade'] });
    expect(online.json().results[0].features.idade.status).toBe('NOT_FOUND');
  });

  // PostgreSQL text cannot hold U+0000: such a key used to be a 500 on the server stores (found by
  // the hostile-input property). Every backend now refuses it the same way, before writing.
  it('ingests and summarizes values near the DOUBLE limit (1e300) instead of failing on their variance', async () => {
    const rows = [
      { grande_id: 'g1', grande_valor: 1e300, event_timestamp: '2025-03-02T00:00:00Z' },
      { grande_id: 'g2', grande_valor: -1e300, event_timestamp: '2025-03-02T00:00:00Z' },
      { grande_id: 'g3', grande_valor: 5.5, event_timestamp: '2025-03-02T00:00:00Z' },
    ];
    const ingest = await s.post('/api/ingest/grande/grande_medidas', { rows });
    expect(ingest.statusCode, ingest.body).toBe(200);
    const quality = await s.get('/api/monitoring/quality?entity=grande&features=grande_valor&start=2025-03-01&end=2025-03-03');
    expect(quality.statusCode, quality.body).toBe(200);
    const [summary] = quality.json().features as { count: number; min: number; max: number; mean: number; std: number }[];
    expect(summary).toMatchObject({ count: 3, min: -1e300, max: 1e300 });
    expect(summary!.mean).toBeCloseTo(5.5 / 3, 0);
    expect(summary!.std / 1e300).toBeCloseTo(1, 6); // sqrt(2e600 / 2)
  });

  it('refuses an entity key with a NUL character in rows, pushes and label rows, naming it; writes nothing', async () => {
    const rows = [
      { usuario_id: 'user_nul_ok', idade: 40, event_timestamp: '2025-03-02T00:00:00Z' },
      { usuario_id: 'user\u0000nul', idade: 41, event_timestamp: '2025-03-02T00:00:00Z' },
    ];
    const ingest = await s.post('/api/ingest/usuario/demografia', { rows });
    expect(ingest.statusCode, ingest.body).toBe(422);
    expect(ingest.json().error.details.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'usuario_id', reason: 'the entity key contains the NUL character (U+0000), which the stores cannot keep' }),
    ]);
    const push = await s.post('/api/push', { records: [{ entity_key: '\u0000', feature_name: 'usuario_idade', value: 3, timestamp: '2025-03-02T00:00:00Z' }] });
    expect(push.statusCode, push.body).toBe(422);
    expect(push.json().error.message).toContain('NUL character (U+0000)');
    const online = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['user_nul_ok', '\u0000'], feature_list: ['idade'] });
    expect(online.json().results.map((r: { features: { idade: { status: string } } }) => r.features.idade.status)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    const labels = await s.post('/api/training/point-in-time', { entity: 'usuario', feature_list: ['idade'], rows: [{ entity_key: 'a\u0000', timestamp: '2025-06-01T00:00:00Z' }] });
    expect(labels.statusCode, labels.body).toBe(400);
    expect(labels.json().error.details.errors).toEqual([{ row: 1, column: 'entity_key', message: 'the entity key contains the NUL character (U+0000), which the stores cannot keep' }]);
  });

  it('rejects bad column names and new empty columns without registering anything', async () => {
    const res = await upload('novo_grupo', 'usuario_id,Bad Column,empty\nu1,1,\n', 'text/csv');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain("column 'Bad Column' is not snake_case");
    expect(res.json().error.message).toContain("column 'empty' is new and empty");
    expect((await s.get('/api/feature-groups/novo_grupo')).statusCode).toBe(404);
  });

  it('rejects data without an entity key column, listing the names it looked for', async () => {
    const res = await upload('demografia', 'user,idade\nu1,3\n', 'text/csv');
    expect(res.json().error.message).toBe(
      "The batch was rejected: No entity key column: expected one of 'usuario_id', 'entity_key', 'id'; found 'user', 'idade'",
    );
  });

  it('is idempotent: re-sending the same rows does not duplicate history', async () => {
    const again = await upload('demografia', CSV, 'text/csv');
    expect(again.statusCode).toBe(200);
    const training = await s.post('/api/training/features', {
      entity: 'usuario',
      feature_list: ['idade'],
      start_date: '2025-01-01',
      end_date: '2025-12-31',
    });
    expect(training.json().row_count).toBe(3);
  });

  it('ingests JSON rows, including lists (the e-commerce example) and entity_key/timestamp names', async () => {
    const res = await s.post('/api/ingest/usuario/ecommerce', {
      rows: [
        { entity_key: 'user_123', timestamp: '2025-02-15T12:00:00Z', avg_order_value: 150.5, favorite_categories: ['electronics', 'books'], last_purchase_date: '2025-02-15' },
        { entity_key: 'user_456', timestamp: '2025-02-15T12:00:00Z', avg_order_value: 80, favorite_categories: [], last_purchase_date: '2025-01-02' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().registered_features).toEqual([
      { name: 'avg_order_value', value_type: 'FLOAT' },
      { name: 'favorite_categories', value_type: 'STRING_LIST' },
      { name: 'last_purchase_date', value_type: 'DATE' },
    ]);
    const online = await s.post('/api/online/features', {
      entity: 'usuario',
      entity_keys: ['user_123'],
      feature_list: ['avg_order_value', 'favorite_categories', 'last_purchase_date'],
    });
    expect(online.json().results[0].features).toMatchObject({
      avg_order_value: { value: 150.5, status: 'PRESENT' },
      favorite_categories: { value: ['electronics', 'books'], status: 'PRESENT' },
      last_purchase_date: { value: '2025-02-15', status: 'PRESENT' },
    });
  });

  it('serves online the newest value of each feature exactly: control characters, empty text, lists, absent values', async () => {
    const tricky = 'a\u0001b\u001fc\n"d"\\e';
    const res = await s.post('/api/ingest/usuario/texts', {
      rows: [
        { entity_key: 'u1', timestamp: '2025-03-01T00:00:00Z', note: tricky, empty: 'old', tags: ['x\u0001y', ''], score: 1 },
        // Newer row: 'empty' becomes the empty string, 'note' and 'tags' are absent (older values stay newest).
        { entity_key: 'u1', timestamp: '2025-03-02T00:00:00Z', note: null, empty: '', tags: null, score: 2 },
        { entity_key: 'u2', timestamp: '2025-03-01T00:00:00Z', note: null, empty: null, tags: null, score: 3 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const online = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u1', 'u2'], feature_list: ['note', 'empty', 'tags', 'score'] });
    const [u1, u2] = online.json().results;
    expect(u1.features).toEqual({
      note: { value: tricky, status: 'PRESENT', event_timestamp: '2025-03-01T00:00:00.000Z' },
      empty: { value: '', status: 'PRESENT', event_timestamp: '2025-03-02T00:00:00.000Z' },
      tags: { value: ['x\u0001y', ''], status: 'PRESENT', event_timestamp: '2025-03-01T00:00:00.000Z' },
      score: { value: 2, status: 'PRESENT', event_timestamp: '2025-03-02T00:00:00.000Z' },
    });
    expect(u2.features.note.status).toBe('NOT_FOUND');
    expect(u2.features.score.value).toBe(3);
  });

  it('rejects JSON rows whose values do not fit registered types', async () => {
    const res = await s.post('/api/ingest/usuario/ecommerce', {
      rows: [{ entity_key: 'user_9', timestamp: '2025-02-16T00:00:00Z', avg_order_value: 'lots', favorite_categories: 'books' }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors.map((e: { column: string }) => e.column)).toEqual(['avg_order_value', 'favorite_categories']);
  });

  it('ingests Parquet uploads (raw body and multipart) with typed columns', async () => {
    const parquet = await parquetOf(`SELECT 'p' || i AS produto_id, i * 1.5 AS produto_preco, i % 2 = 0 AS produto_ativo,
      TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_hours(i) AS event_timestamp FROM range(1, 101) t(i)`);
    const res = await upload('catalogo', parquet, 'application/vnd.apache.parquet', 'produto');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: 100, values_written: 200 });
    expect(res.json().registered_features).toEqual([
      { name: 'produto_preco', value_type: 'FLOAT' },
      { name: 'produto_ativo', value_type: 'BOOL' },
    ]);
    const boundary = 'fstoreboundary';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="more.parquet"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      await parquetOf(`SELECT 'p1' AS produto_id, 99.5 AS produto_preco, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS event_timestamp`),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const mp = await upload('catalogo', multipart, `multipart/form-data; boundary=${boundary}`, 'produto');
    expect(mp.statusCode).toBe(200);
    expect(mp.json().rows).toBe(1);
    const online = await s.post('/api/online/features', { entity: 'produto', entity_keys: ['p1'], feature_list: ['preco', 'ativo'] });
    expect(online.json().results[0].features.preco).toMatchObject({ value: 99.5, event_timestamp: '2026-01-01T00:00:00.000Z' });
  });

  it('answers unreadable files and unknown formats with clear errors', async () => {
    const garbage = await upload('catalogo', Buffer.from('not a parquet file'), 'application/vnd.apache.parquet', 'produto');
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().error.message).toMatch(/^The PARQUET data could not be read/);
    const unknown = await upload('catalogo', 'a,b', 'application/octet-stream', 'produto');
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json().error.code).toBe('FSTORE_UNSUPPORTED_FORMAT');
    const xml = await upload('catalogo', '<a/>', 'application/xml', 'produto');
    expect(xml.statusCode).toBe(415);
  });

  it('refuses columns that belong to another group of the entity', async () => {
    const res = await upload('outro', 'usuario_id,renda\nu1,3\n', 'text/csv');
    expect(res.json().error.message).toContain("feature 'renda' is stored in group 'demografia'");
  });

  it("stores a column whose bare name is another entity's feature as '<entity>_<column>', with a warning", async () => {
    const other = await upload('catalogo', 'produto_id,renda\np1,3\n', 'text/csv', 'produto');
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ features: ['produto_renda'], registered_features: [{ name: 'produto_renda', value_type: 'INT' }] });
    expect(other.json().warnings).toContain("Column 'renda' becomes new feature 'produto_renda': feature 'renda' belongs to entity 'usuario'");
    expect((await s.get('/api/features/renda')).json()).toMatchObject({ entity: 'usuario', feature_group: 'demografia' });
  });
});

describe('schema changes', () => {
  it('rejects a changed column type naming it, and applies it as a new version when asked', async () => {
    const s = await startTestService();
    try {
      const send = (csv: string, query = '') =>
        s.app.inject({ method: 'POST', url: `/api/ingest/produto/catalogo/upload${query}`, payload: csv, headers: { 'content-type': 'text/csv' } });
      expect((await send('produto_id,produto_codigo,event_timestamp\np1,10,2025-01-01T00:00:00Z\n')).json().registered_features).toEqual([
        { name: 'produto_codigo', value_type: 'INT' },
      ]);
      const changed = 'produto_id,produto_codigo,event_timestamp\np1,A-10,2025-02-01T00:00:00Z\n';
      const rejected = await send(changed);
      expect(rejected.statusCode).toBe(422);
      expect(rejected.json().error.message).toContain("column 'produto_codigo': expected an integer for feature 'produto_codigo' (INT)");
      expect(rejected.json().error.message).toContain('re-send with evolve_schema=true');
      const evolved = await send(changed, '?evolve_schema=true');
      expect(evolved.statusCode).toBe(200);
      expect(evolved.json().warnings).toContain("Feature 'produto_codigo' changes from INT to STRING (evolve_schema); a new version records it");
      const feature = (await s.get('/api/features/produto_codigo')).json();
      expect(feature).toMatchObject({ value_type: 'STRING', feature_type: 'CATEGORICAL', version: 2 });
      expect((await s.get('/api/features/produto_codigo/diff?from=1&to=2')).json().changes.map((c: { field: string }) => c.field)).toEqual([
        'feature_type',
        'value_type',
      ]);
      const online = await s.post('/api/online/features', { entity: 'produto', entity_keys: ['p1'], feature_list: ['codigo'] });
      expect(online.json().results[0].features.codigo.value).toBe('A-10');
    } finally {
      await s.close();
    }
  });
});
