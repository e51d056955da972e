import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

/**
 * Generic column names (`vendas`, `score`) collide across entities: a column resolves within its own
 * entity first, and when its bare name is another entity's feature it becomes `<entity>_<column>`.
 * Runs on embedded stores and, with FSTORE_TEST_STORES=services, on the server stores.
 */
describe('column names shared by two entities', () => {
  let s: TestService;
  const csv = (entity: string, group: string, body: string) =>
    s.app.inject({ method: 'POST', url: `/api/ingest/${entity}/${group}/upload`, payload: body, headers: { 'content-type': 'text/csv' } });
  const online = async (entity: string, key: string, features: string[]) =>
    (await s.post('/api/online/features', { entity, entity_keys: [key], feature_list: features })).json().results[0].features as Record<string, { value: unknown }>;

  beforeAll(async () => {
    s = await startTestService();
    const first = await csv('loja', 'vendas_loja', 'loja_id,vendas,event_timestamp\nl1,100,2025-01-01T00:00:00Z\n');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().features).toEqual(['vendas']);
  });
  afterAll(() => s.close());

  it("shows the prefixed name in the preview, with the reason, and writes nothing", async () => {
    const body = 'loja2_id,vendas,event_timestamp\nm1,7,2025-01-02T00:00:00Z\n';
    const upload = (await s.app.inject({ method: 'POST', url: '/api/uploads/', payload: body, headers: { 'content-type': 'text/csv' } })).json();
    const preview = (await s.get(`/api/uploads/${upload.upload_id}/preview?entity=loja2&feature_group=vendas_loja2`)).json();
    expect(preview.problems).toEqual([]);
    expect(preview.plan.features).toEqual([{ column: 'vendas', feature: 'loja2_vendas', value_type: 'INT', registration: 'new' }]);
    expect(preview.plan.warnings).toContain("Column 'vendas' becomes new feature 'loja2_vendas': feature 'vendas' belongs to entity 'loja'");
    expect((await s.get('/api/features/loja2_vendas')).statusCode).toBe(404);
  });

  it("a CSV for a new entity registers '<entity>_<column>' and leaves the other entity's feature alone", async () => {
    const res = await csv('loja2', 'vendas_loja2', 'loja2_id,vendas,event_timestamp\nm1,7,2025-01-02T00:00:00Z\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ features: ['loja2_vendas'], registered_features: [{ name: 'loja2_vendas', value_type: 'INT' }] });
    expect(res.json().warnings).toContain("Column 'vendas' becomes new feature 'loja2_vendas': feature 'vendas' belongs to entity 'loja'");
    expect((await s.get('/api/features/loja2_vendas')).json()).toMatchObject({ entity: 'loja2', feature_group: 'vendas_loja2' });
    expect((await online('loja2', 'm1', ['vendas'])).vendas!.value).toBe(7);
    expect((await online('loja', 'l1', ['vendas'])).vendas!.value).toBe(100);

    // Sent again, the column feeds the entity's own feature: nothing new is registered.
    const again = await csv('loja2', 'vendas_loja2', 'loja2_id,vendas,event_timestamp\nm1,8,2025-01-03T00:00:00Z\n');
    expect(again.json()).toMatchObject({ features: ['loja2_vendas'], registered_features: [] });
    expect((await online('loja2', 'm1', ['vendas'])).vendas!.value).toBe(8);
  });

  it('JSON rows follow the same rule', async () => {
    const res = await s.post('/api/ingest/loja3/vendas_loja3', { rows: [{ loja3_id: 'n1', vendas: 3, event_timestamp: '2025-01-04T00:00:00Z' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ features: ['loja3_vendas'], registered_features: [{ name: 'loja3_vendas', value_type: 'INT' }] });
    expect((await online('loja3', 'n1', ['vendas'])).vendas!.value).toBe(3);
  });

  it("pushed records (either shape) name the column as the batch did and reach the entity's own feature", async () => {
    const res = await s.post('/api/push', {
      records: [
        { entity: 'loja2', feature_group: 'vendas_loja2', entity_key: 'm2', timestamp: '2025-01-05T00:00:00Z', features: { vendas: 11 } },
        { entity: 'loja2', entity_key: 'm3', feature_name: 'vendas', value: 12, timestamp: '2025-01-05T00:00:00Z' },
        { entity_key: 'l2', feature_name: 'vendas', value: 13, timestamp: '2025-01-05T00:00:00Z' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await online('loja2', 'm2', ['vendas'])).vendas!.value).toBe(11);
    expect((await online('loja2', 'm3', ['vendas'])).vendas!.value).toBe(12);
    // Without an entity, a feature name is the registry's (global) name.
    expect((await online('loja', 'l2', ['vendas'])).vendas!.value).toBe(13);
  });

  it('two columns that would feed one feature reject the batch, naming both', async () => {
    const res = await csv('loja2', 'vendas_loja2', 'loja2_id,vendas,loja2_vendas\nm1,1,2\n');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain("columns 'vendas' and 'loja2_vendas' would all be stored as feature 'loja2_vendas'; keep one");
  });

  it("a column whose prefixed name is this entity's feature in another group is refused, as before", async () => {
    const res = await csv('loja2', 'outro_grupo', 'loja2_id,vendas\nm1,1\n');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain("column 'vendas': feature 'loja2_vendas' is stored in group 'vendas_loja2'");
  });
});
