import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

/**
 * Text that is not Unicode: JSON can escape a lone UTF-16 surrogate ("\ud800"). DuckDB's JSON
 * reader and PostgreSQL refuse it while Redis and LMDB keep U+FFFD instead, so such a value was a
 * 500 on push (found by the hostile-input property test, seed 1177488110), an oddly worded refusal
 * on rows, and a key stored differently in each store. Every entry that takes JSON as data refuses
 * it with a 4xx naming where, and writes nothing.
 */
describe('lone UTF-16 surrogates in JSON data', () => {
  let s: TestService;
  // Sent as text so the escapes reach the service exactly as a client would send them.
  const postText = (url: string, text: string) => s.app.inject({ method: 'POST', url, payload: text, headers: { 'content-type': 'application/json' } });
  const online = async () => (await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: ['cliente_cidade'] })).json().results[0].features.cliente_cidade.value;
  const historyRows = async () =>
    (await s.post('/api/training/features', { entity: 'cliente', feature_list: ['cliente_cidade'], start_date: '2020-01-01', end_date: '2030-01-01' })).json().row_count;
  const GOOD_PUSH = '{"entity_key":"c1","feature_name":"cliente_cidade","value":"Recife","timestamp":"2025-03-01T00:00:00Z"}';

  beforeAll(async () => {
    s = await startTestService();
    for (const [url, body] of [
      ['/api/entities/', { name: 'cliente' }],
      ['/api/feature-groups/', { name: 'cadastro', entity: 'cliente' }],
      ['/api/features/', { name: 'cliente_cidade', entity: 'cliente', value_type: 'STRING', feature_group: 'cadastro' }],
      ['/api/ingest/cliente/cadastro', { rows: [{ cliente_id: 'c1', cliente_cidade: 'Natal', event_timestamp: '2025-01-01T00:00:00Z' }] }],
    ] as const) {
      const res = await s.post(url, body);
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
  });
  afterAll(() => s.close());

  it('a well-formed pair (an emoji) is ordinary text and is stored', async () => {
    const res = await postText('/api/push', `{"records":[{"entity_key":"c2","feature_name":"cliente_cidade","value":"\\ud83d\\ude00","timestamp":"2025-01-01T00:00:00Z"}]}`);
    expect(res.statusCode, res.body).toBe(200);
    const read = await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c2'], feature_list: ['cliente_cidade'] });
    expect(read.json().results[0].features.cliente_cidade.value).toBe('😀');
  });

  it('ingested rows: 422 naming the row and column (a value or the key), nothing written', async () => {
    for (const [row, column] of [
      ['{"cliente_id":"c1","cliente_cidade":"\\ud800","event_timestamp":"2025-02-01T00:00:00Z"}', 'cliente_cidade'],
      ['{"cliente_id":"c\\udfff","cliente_cidade":"Olinda","event_timestamp":"2025-02-01T00:00:00Z"}', 'cliente_id'],
    ]) {
      const before = await historyRows();
      const res = await postText('/api/ingest/cliente/cadastro', `{"rows":[{"cliente_id":"c1","cliente_cidade":"Recife","event_timestamp":"2025-02-01T00:00:00Z"},${row}]}`);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('FSTORE_INGEST_REJECTED');
      expect(res.json().error.message).toMatch(new RegExp(`row 2, column '${column}': the text holds a lone UTF-16 surrogate`));
      expect(await historyRows()).toBe(before);
    }
    expect(await online()).toBe('Natal');
  });

  it('pushed records in either shape: 422 naming the record and field (value, key, feature name), nothing written', async () => {
    for (const [record, reason] of [
      ['{"entity_key":"c1","feature_name":"cliente_cidade","value":"a\\udc00b"}', /^'value': the text holds a lone UTF-16 surrogate/],
      ['{"entity_key":"c\\ud800","feature_name":"cliente_cidade","value":"Olinda"}', /^'entity_key': the text holds a lone UTF-16 surrogate/],
      ['{"entity_key":"c1","feature_name":"\\ud800","value":"Olinda"}', /^'feature_name': the text holds a lone UTF-16 surrogate/],
      ['{"entity":"cliente","feature_group":"cadastro","entity_key":"c1","features":{"cliente_cidade":"\\ud800"}}', /^feature 'cliente_cidade': the text holds/],
      ['{"entity":"cliente","feature_group":"cadastro","entity_key":"c1","features":{"\\ud800":"Olinda"}}', /^feature '.*': the text holds/],
    ] as const) {
      const before = await historyRows();
      const res = await postText('/api/push', `{"records":[${GOOD_PUSH},${record}]}`);
      expect(res.statusCode, `${record} -> ${res.body}`).toBe(422);
      expect(res.json().error.details.errors, record).toEqual([{ index: 1, reason: expect.stringMatching(reason) }]);
      expect(await historyRows()).toBe(before);
    }
    expect(await online()).toBe('Natal');
  });

  it('Kafka messages: the stream validator rejects the record (to the dead-letter topic) instead of failing the batch', async () => {
    // The consumer parses each message with JSON.parse and hands the records to this validator.
    const records = JSON.parse(`[${GOOD_PUSH},{"entity_key":"c1","feature_name":"cliente_cidade","value":"\\ud800"}]`) as Record<string, unknown>[];
    const { accepted, rejected } = await s.ctx.stream.validate(records);
    expect(accepted).toBe(1);
    expect(rejected).toEqual([{ index: 1, reason: expect.stringMatching(/^'value': the text holds a lone UTF-16 surrogate/) }]);
  });

  it('training label rows: 400 naming the row and column', async () => {
    const res = await postText(
      '/api/training/point-in-time',
      '{"entity":"cliente","feature_list":["cliente_cidade"],"rows":[{"entity_key":"c1","timestamp":"2025-06-01T00:00:00Z","label":"ok"},{"entity_key":"c1","timestamp":"2025-06-01T00:00:00Z","label":"\\ud800"}]}',
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(/row 2: column 'label': the text holds a lone UTF-16 surrogate/);
  });

  it('definitions: plan and apply refuse the object, nothing applied', async () => {
    const bundle = '{"bundle":{"entities":[{"name":"loja","description":"bad \\ud800 text"}]},"prune":false}';
    for (const url of ['/api/definitions/plan', '/api/definitions/apply']) {
      const res = await postText(url, bundle);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toMatch(/entity 1: the text holds a lone UTF-16 surrogate/);
    }
    expect((await s.get('/api/entities/loja')).statusCode).toBe(404);
  });
});
