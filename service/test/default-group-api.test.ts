import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

/**
 * The seed's order of steps: register a feature with no group (`POST /api/features/`), then send
 * its values. Every ingestion path gives the feature a home its values land in.
 */
describe('features registered without a group', () => {
  let s: TestService;
  const onlineValue = async (entity: string, key: string, feature: string) =>
    (await s.post('/api/online/features', { entity, entity_keys: [key], feature_list: [feature] })).json().results[0].features[feature];
  const trainingRows = async (entity: string, feature: string) =>
    (await s.post('/api/training/features', { entity, feature_list: [feature], start_date: '2025-01-01', end_date: '2025-12-31' })).json();
  const groupOf = async (feature: string) => (await s.get(`/api/features/${feature}`)).json().feature_group as string | null;

  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it("the seed's message for a group-less feature lands in the entity's default group, created on demand", async () => {
    expect((await s.post('/api/features/', SEED_FEATURE)).statusCode).toBe(201);
    expect(await groupOf('usuario_idade')).toBeNull();
    const push = await s.post('/api/push', { records: [{ entity_key: 'user_123', feature_name: 'usuario_idade', value: 25, timestamp: '2025-02-20T15:45:11Z' }] });
    expect(push.statusCode, push.body).toBe(200);
    expect(push.json()).toEqual({ accepted: 1, values_written: 1, online_values_written: 1 });

    expect(await groupOf('usuario_idade')).toBe('usuario_default');
    const group = (await s.get('/api/feature-groups/usuario_default')).json();
    expect(group).toMatchObject({ entity: 'usuario', online: true, ttl_seconds: null, features: ['usuario_idade'] });
    expect(await onlineValue('usuario', 'user_123', 'idade')).toEqual({ value: 25, status: 'PRESENT', event_timestamp: '2025-02-20T15:45:11.000Z' });
    const training = await trainingRows('usuario', 'usuario_idade');
    expect(training.row_count).toBe(1);
    expect(training.rows[0]).toMatchObject({ entity_key: 'user_123', usuario_idade: 25 });

    // The placement is a recorded change of the feature, by whoever sent the values.
    const versions = (await s.get('/api/features/usuario_idade/versions')).json();
    expect(versions.at(-1)).toMatchObject({ version: 2, author: 'local', changes: [{ field: 'feature_group', before: null, after: 'usuario_default' }] });
  });

  it("the default group's settings are editable like any group's, and later values follow them", async () => {
    const put = await s.put('/api/feature-groups/usuario_default', { ttl_seconds: 3600, online: false });
    expect(put.statusCode, put.body).toBe(200);
    const push = await s.post('/api/push', { records: [{ entity_key: 'user_124', feature_name: 'usuario_idade', value: 40, timestamp: '2025-02-21T00:00:00Z' }] });
    expect(push.json()).toEqual({ accepted: 1, values_written: 1, online_values_written: 0 });
    await s.put('/api/feature-groups/usuario_default', { online: true });
  });

  it('a row record joins the group it names, as a batch does', async () => {
    await s.post('/api/feature-groups/', { name: 'demografia', entity: 'usuario' });
    await s.post('/api/features/', { name: 'usuario_renda', value_type: 'FLOAT', entity: 'usuario' });
    const push = await s.post('/api/push', {
      records: [{ entity: 'usuario', feature_group: 'demografia', entity_key: 'user_1', timestamp: '2025-03-01T00:00:00Z', features: { renda: 1500.5 } }],
    });
    expect(push.statusCode, push.body).toBe(200);
    expect(await groupOf('usuario_renda')).toBe('demografia');
    expect((await onlineValue('usuario', 'user_1', 'renda')).value).toBe(1500.5);
  });

  it('JSON rows and files assign group-less features to the batch’s group', async () => {
    await s.post('/api/features/', { name: 'usuario_cidade', value_type: 'STRING', entity: 'usuario' });
    const rows = await s.post('/api/ingest/usuario/perfil', { rows: [{ usuario_id: 'user_2', cidade: 'SP', event_timestamp: '2025-04-01T00:00:00Z' }] });
    expect(rows.statusCode, rows.body).toBe(200);
    expect(rows.json()).toMatchObject({ features: ['usuario_cidade'], registered_features: [] });
    expect(await groupOf('usuario_cidade')).toBe('perfil');
    expect((await onlineValue('usuario', 'user_2', 'cidade')).value).toBe('SP');

    await s.post('/api/features/', { name: 'usuario_score', value_type: 'FLOAT', entity: 'usuario' });
    const file = await s.app.inject({
      method: 'POST',
      url: '/api/ingest/usuario/perfil/upload',
      payload: 'usuario_id,score,event_timestamp\nuser_2,0.5,2025-04-01T00:00:00Z\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(file.statusCode, file.body).toBe(200);
    expect(await groupOf('usuario_score')).toBe('perfil');
    expect((await trainingRows('usuario', 'usuario_score')).rows[0]).toMatchObject({ entity_key: 'user_2', usuario_score: 0.5 });
  });

  it('a default group name taken by another entity rejects the record, naming why, and writes nothing', async () => {
    await s.post('/api/feature-groups/', { name: 'cliente_default', entity: 'loja' });
    await s.post('/api/features/', { name: 'cliente_idade', value_type: 'INT', entity: 'cliente' });
    const push = await s.post('/api/push', { records: [{ entity_key: 'c1', feature_name: 'cliente_idade', value: 3 }] });
    expect(push.statusCode).toBe(422);
    expect(push.json().error.details.errors).toEqual([
      {
        index: 0,
        reason:
          "feature 'cliente_idade' has no feature group and cannot be placed: feature group 'cliente_default' belongs to entity 'loja', not 'cliente'; assign the feature a group (PUT /api/features/{name})",
      },
    ]);
    expect(await groupOf('cliente_idade')).toBeNull();
  });

  it('what is really bad is still refused: unknown features and wrong types', async () => {
    const push = await s.post('/api/push', {
      records: [
        { entity_key: 'u', feature_name: 'usuario_nada', value: 1 },
        { entity_key: 'u', feature_name: 'usuario_idade', value: 'old' },
      ],
    });
    expect(push.json().error.details.errors.map((e: { reason: string }) => e.reason)).toEqual([
      "feature 'usuario_nada' does not exist",
      "feature 'usuario_idade': expected an integer for INT, got \"old\"",
    ]);
  });
});
