import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

describe('push API (streaming writes over HTTP)', () => {
  let s: TestService;
  const online = async (key: string) =>
    (await s.post('/api/online/features', { entity: 'usuario', entity_keys: [key], feature_list: ['idade'] })).json().results[0].features.idade;

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/feature-groups/', { name: 'demografia', entity: 'usuario' });
    await s.post('/api/features/', { ...SEED_FEATURE, feature_group: 'demografia' });
  });
  afterAll(() => s.close());

  it("accepts the seed's Kafka message verbatim", async () => {
    const res = await s.post('/api/push', { records: [{ entity_key: 'user_123', feature_name: 'usuario_idade', value: 25, timestamp: '2025-02-20T15:45:11Z' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 1, values_written: 1, online_values_written: 1 });
    expect(await online('user_123')).toEqual({ value: 25, status: 'PRESENT', event_timestamp: '2025-02-20T15:45:11.000Z' });
  });

  it('accepts the row format and never lets an older event overwrite a newer one', async () => {
    const res = await s.post('/api/push', {
      records: [
        { entity: 'usuario', feature_group: 'demografia', entity_key: 'user_123', timestamp: '2025-02-19T00:00:00Z', features: { idade: 24 } },
      ],
    });
    expect(res.json()).toMatchObject({ accepted: 1, values_written: 1, online_values_written: 0 });
    expect((await online('user_123')).value).toBe(25);
    const pit = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['idade'],
      rows: [{ entity_key: 'user_123', timestamp: '2025-02-19T12:00:00Z' }],
    });
    expect(pit.json().rows[0].idade).toBe(24);
  });

  it('is idempotent: the same message twice leaves one value in history', async () => {
    const msg = { entity_key: 'user_7', feature_name: 'usuario_idade', value: 40, timestamp: '2025-03-01T00:00:00Z' };
    await s.post('/api/push', { records: [msg] });
    await s.post('/api/push', { records: [msg, msg] });
    const training = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2025-03-01', end_date: '2025-03-01' });
    expect(training.json().row_count).toBe(1);
  });

  it('rejects the whole request when any record is invalid, naming each, and writes nothing', async () => {
    const res = await s.post('/api/push', {
      records: [
        { entity_key: 'user_8', feature_name: 'usuario_idade', value: 30, timestamp: '2025-03-01T00:00:00Z' },
        { entity_key: 'user_8', feature_name: 'usuario_idade', value: 'thirty' },
        { entity_key: 'user_8', feature_name: 'nope', value: 1 },
        { feature_name: 'usuario_idade', value: 1 },
        { entity_key: 'user_8', feature_name: 'usuario_idade', value: 1, timestamp: 'later' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([
      { index: 1, reason: "feature 'usuario_idade': expected an integer for INT, got \"thirty\"" },
      { index: 2, reason: "feature 'nope' does not exist" },
      { index: 3, reason: 'entity_key is missing' },
      { index: 4, reason: 'timestamp "later" is not an ISO-8601 timestamp' },
    ]);
    expect((await online('user_8')).status).toBe('NOT_FOUND');
  });
});
