import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, waitForJob, type TestService } from './helpers.js';

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

describe('transform output columns shared by two entities', () => {
  let s: TestService;
  const code = 'SELECT loja2_id, SUM(valor) AS vendas FROM pedidos GROUP BY loja2_id';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-sources-'));
    writeFileSync(join(dir, 'pedidos.csv'), 'loja2_id,valor\nm1,5\nm1,7\nm2,1\n');
    s = await startTestService(undefined, { fileSourceDirs: [dir] });
    await s.post('/api/ingest/loja/vendas_loja', { rows: [{ loja_id: 'l1', vendas: 100, event_timestamp: '2025-01-01T00:00:00Z' }] });
    expect((await s.post('/api/data-sources/', { name: 'pedidos', type: 'file', path: join(dir, 'pedidos.csv') })).statusCode).toBe(201);
  });
  afterAll(() => s.close());

  it("publishes '<entity>_<column>' with a warning in the plan, and a run writes it", async () => {
    const input = { name: 'loja2_totais', language: 'sql', code, sources: ['pedidos'], entity: 'loja2' };
    const plan = (await s.post('/api/transforms/plan', input)).json();
    expect(plan.output.map((o: { name: string }) => o.name)).toEqual(['loja2_vendas']);
    expect(plan.warnings).toContain("Output column 'vendas' becomes feature 'loja2_vendas': feature 'vendas' belongs to entity 'loja'");

    const published = await s.post('/api/transforms/', input);
    expect(published.statusCode, published.body).toBe(201);
    expect((await s.get('/api/features/loja2_vendas')).json()).toMatchObject({ entity: 'loja2', feature_group: 'loja2_totais' });
    const job = await waitForJob(s, (await s.post('/api/transforms/loja2_totais/runs', {})).json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const online = await s.post('/api/online/features', { entity: 'loja2', entity_keys: ['m1'], feature_list: ['vendas'] });
    expect(online.json().results[0].features.vendas.value).toBe(12);
    expect((await s.get('/api/features/vendas')).json()).toMatchObject({ entity: 'loja', feature_group: 'vendas_loja' });
  });

  it('an on-demand transform, computed by column name at request time, is asked to alias the column', async () => {
    await s.post('/api/ingest/loja2/base', { rows: [{ loja2_id: 'm1', loja2_valor: 2, event_timestamp: '2025-01-01T00:00:00Z' }] });
    expect((await s.post('/api/data-sources/', { name: 'base_src', type: 'feature_group', feature_group: 'base' })).statusCode).toBe(201);
    const ts = 'export default function transform(row: { loja2_valor: number | null }) { return { vendas: (row.loja2_valor ?? 0) * 2 }; }';
    const res = await s.post('/api/transforms/plan', { name: 'loja2_od', language: 'typescript', code: ts, sources: ['base_src'], entity: 'loja2', on_demand: true });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toBe("Output column 'vendas' is already a feature of entity 'loja'; alias it (for example AS loja2_vendas)");
  });
});
