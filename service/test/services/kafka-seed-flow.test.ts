import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, consumeAll, produce } from './kcat.js';
import { SEED_FEATURE, startTestService, until, type TestService } from '../helpers.js';

/**
 * The seed's order of steps on the real servers: register `usuario_idade` with the seed's call (no
 * feature group), send the seed's Kafka message, read it back online and for training.
 */
describe("the seed's register-then-stream flow (real broker, messages produced by kcat)", () => {
  let s: TestService;
  const topic = `fstore_seed_${Date.now()}`;
  const online = async (entity: string, key: string, feature: string) =>
    (await s.post('/api/online/features', { entity, entity_keys: [key], feature_list: [feature] })).json().results[0].features[feature] as {
      value: unknown;
      status: string;
      event_timestamp: string | null;
    };

  beforeAll(async () => {
    s = await startTestService(undefined, { kafkaBrokers: brokers(), kafkaTopics: [topic], kafkaGroupId: `fstore_seed_${Date.now()}` });
    await until('the consumer to run', async () => (await s.get('/api/streaming/status')).json().state, (st) => st === 'running');
  });
  afterAll(() => s.close());

  it('serves the streamed value online and for training; the dead-letter topic keeps only what is bad', async () => {
    const created = await s.post('/api/features/', SEED_FEATURE);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().feature_group).toBeNull();

    produce(topic, [
      '{"entity_key": "user_123", "feature_name": "usuario_idade", "value": 25, "timestamp": "2025-02-20T15:45:11Z"}',
      '{"entity_key": "user_123", "feature_name": "usuario_nada", "value": 1, "timestamp": "2025-02-20T15:45:11Z"}',
    ]);
    const value = await until('the value online', () => online('usuario', 'user_123', 'idade'), (v) => v.status === 'PRESENT');
    expect(value).toEqual({ value: 25, status: 'PRESENT', event_timestamp: '2025-02-20T15:45:11.000Z' });

    const training = await until(
      'the value offline',
      async () => (await s.post('/api/training/features', { entity: 'usuario', feature_list: ['usuario_idade'], start_date: '2025-01-01', end_date: '2025-02-20' })).json(),
      (t) => t.row_count === 1,
    );
    expect(training.rows[0]).toMatchObject({ entity_key: 'user_123', usuario_idade: 25 });
    expect((await s.get('/api/features/usuario_idade')).json()).toMatchObject({ feature_group: 'usuario_default' });
    expect((await s.get('/api/feature-groups/usuario_default')).json()).toMatchObject({ entity: 'usuario', online: true, ttl_seconds: null });

    const dead = await until('the dead letter', async () => consumeAll(`${topic}.dlq`), (d) => d.length >= 1);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toContain("fstore-error=feature 'usuario_nada' does not exist");
  });

  it("resolves a row record's generic column within its entity (two entities sharing 'vendas')", async () => {
    await s.post('/api/ingest/loja/vendas_loja', { rows: [{ loja_id: 'l1', vendas: 100, event_timestamp: '2025-01-01T00:00:00Z' }] });
    const second = await s.post('/api/ingest/loja2/vendas_loja2', { rows: [{ loja2_id: 'm1', vendas: 7, event_timestamp: '2025-01-01T00:00:00Z' }] });
    expect(second.json().features).toEqual(['loja2_vendas']);
    produce(topic, ['{"entity": "loja2", "feature_group": "vendas_loja2", "entity_key": "m1", "timestamp": "2025-01-02T00:00:00Z", "features": {"vendas": 9}}']);
    const value = await until('the value online', () => online('loja2', 'm1', 'vendas'), (v) => v.value === 9);
    expect(value.event_timestamp).toBe('2025-01-02T00:00:00.000Z');
    expect((await online('loja', 'l1', 'vendas')).value).toBe(100);
  });
});
