/**
 * A text value with U+0000 cannot be kept by PostgreSQL (text), so it is refused on every store and
 * every entry, like an entity key with it: a row error naming the column, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

describe('text values with the NUL character', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
    expect((await s.post('/api/ingest/loja/cadastro', { rows: [{ loja_id: 'l1', loja_nome: 'ok', loja_tags: ['a'] }] })).statusCode).toBe(200);
  });
  afterAll(() => s.close());

  const history = async () => (await s.post('/api/training/features', { entity: 'loja', feature_list: ['loja_nome', 'loja_tags'], start_date: '1970-01-01', end_date: '2100-01-01' })).json().rows;

  it('refuses them in rows (text and lists of text), naming row and column, and writes nothing', async () => {
    const before = await history();
    const text = await s.post('/api/ingest/loja/cadastro', { rows: [{ loja_id: 'l2', loja_nome: 'fine' }, { loja_id: 'l3', loja_nome: 'a\u0000b' }] });
    expect(text.statusCode).toBe(422);
    expect(text.json().error.details.errors[0]).toMatchObject({ row: 2, column: 'loja_nome', reason: expect.stringContaining('U+0000') });
    const list = await s.post('/api/ingest/loja/cadastro', { rows: [{ loja_id: 'l4', loja_tags: ['x', 'y\u0000'] }] });
    expect(list.statusCode).toBe(422);
    expect(list.json().error.details.errors[0]).toMatchObject({ column: 'loja_tags', reason: expect.stringContaining('U+0000') });
    expect(await history()).toEqual(before);
  });

  it('refuses them in pushes (and so in Kafka records), naming the feature', async () => {
    const res = await s.post('/api/push', { records: [{ entity_key: 'l1', feature_name: 'loja_nome', value: '\u0000', timestamp: '2025-01-01T00:00:00Z' }] });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('U+0000');
  });
});
