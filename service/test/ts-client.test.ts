import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFStoreClient, FStoreApiError, type FetchLike } from '@shared/api/client.js';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

/** The shared TypeScript client (used by the renderer and the CLI) against the real service. */
describe('TypeScript client', () => {
  let s: TestService;
  let client: ReturnType<typeof createFStoreClient>;

  beforeAll(async () => {
    s = await startTestService();
    // A fetch that goes through Fastify's inject: the real routes, no socket.
    const fetch: FetchLike = async (url, init) => {
      const res = await s.app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.replace('http://fstore.test', ''),
        headers: init?.headers ?? {},
        ...(init?.body !== undefined ? { payload: init.body } : {}),
      });
      return { ok: res.statusCode < 400, status: res.statusCode, headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string) ?? null }, json: async () => res.json(), text: async () => res.body };
    };
    client = createFStoreClient({ baseUrl: 'http://fstore.test/', fetch });
  });
  afterAll(() => s.close());

  it('runs the seed flow with typed results', async () => {
    const created = await client.features.create(SEED_FEATURE as Parameters<typeof client.features.create>[0]);
    expect(created.version).toBe(1);
    const report = await client.ingestRows('usuario', 'demografia', [{ usuario_id: 'user_123', usuario_idade: 25, event_timestamp: '2025-02-20T15:45:11Z' }]);
    expect(report.values_written).toBe(1);
    const online = await client.online({ entity: 'usuario', entity_keys: ['user_123'], feature_list: ['idade'] });
    expect(online.results[0]!.features['idade']).toMatchObject({ value: 25, status: 'PRESENT' });
    expect(online.value_types).toEqual({ idade: 'INT' });
    const training = await client.trainingPointInTime({ entity: 'usuario', feature_list: ['idade'], rows: [{ entity_key: 'user_123', timestamp: '2025-03-01' }] });
    expect(training.rows[0]!['idade']).toBe(25);
    expect((await client.features.versions('usuario_idade')).map((v) => v.version)).toEqual([1, 2]);
    expect((await client.features.diff('usuario_idade', 1, 2)).changes.map((c) => c.field)).toEqual(['feature_group']);
  });

  it('previews, publishes and runs a transform over a feature group source', async () => {
    await client.ingestRows('usuario', 'perfil_ts', [
      { usuario_id: 'u1', usuario_renda: 3000, event_timestamp: '2025-01-01T00:00:00Z' },
      { usuario_id: 'u2', usuario_renda: 1000, event_timestamp: '2025-01-02T00:00:00Z' },
    ]);
    await client.dataSources.create({ name: 'perfil_ts_src', type: 'feature_group', feature_group: 'perfil_ts' });
    const definition = {
      language: 'sql' as const,
      code: 'SELECT usuario_id, event_time, usuario_renda / 1000.0 AS usuario_renda_mil FROM perfil_ts_src',
      sources: ['perfil_ts_src'],
      entity: 'usuario',
    };
    const preview = await client.transforms.preview(definition);
    expect(preview.rows.map((r) => r['usuario_renda_mil'])).toEqual([3, 1]);
    const plan = await client.transforms.plan({ name: 'usuario_renda_mil', ...definition });
    expect(plan.changes.map((c) => c.action)).toEqual(['create', 'create', 'create']);
    const published = await client.transforms.create({ name: 'usuario_renda_mil', ...definition });
    expect(published.version).toBe(1);
    const job = await client.transforms.run('usuario_renda_mil');
    expect(job.kind).toBe('transform_run');
    const lineage = await client.lineage('feature', 'usuario_renda_mil');
    expect(lineage.edges).toContainEqual({ from: 'feature_group:perfil_ts', to: 'data_source:perfil_ts_src' });
    const bad = await client.transforms.preview({ ...definition, code: 'SELECT nope FROM perfil_ts_src' }).catch((err: unknown) => err);
    expect(bad).toBeInstanceOf(FStoreApiError);
    expect((bad as FStoreApiError).code).toBe('FSTORE_TRANSFORM_SQL');
  });

  it('reads monitoring (quality, batches, drift, drift series) and runs a rule from firing to resolved', async () => {
    // The seed flow above wrote one value: usuario_idade = 25 at 2025-02-20T15:45:11Z, in group demografia.
    const february = { start: '2025-02-01', end: '2025-02-28' };
    const quality = await client.monitoring.quality({ entity: 'usuario', features: ['usuario_idade'], ...february });
    expect(quality.features).toMatchObject([{ feature: 'usuario_idade', count: 1, mean: 25 }]);
    const [batch] = await client.monitoring.batches({ entity: 'usuario', feature_group: 'demografia', limit: 5 });
    expect(batch).toMatchObject({ feature_group: 'demografia', rows: 1 });
    const drift = await client.monitoring.drift({ entity: 'usuario', features: ['usuario_idade'], baseline: february, current: { start: '2025-03-01', end: '2025-03-31' } });
    expect(drift.features[0]).toMatchObject({ feature: 'usuario_idade', baseline_count: 1, current_count: 0, psi: null, note: 'The current window has no values' });
    // A baseline apart from the scored days.
    const january = { start: '2025-01-01', end: '2025-01-31' };
    const series = await client.monitoring.driftSeries({ entity: 'usuario', features: ['usuario_idade'], baseline: january, start: '2025-02-19', end: '2025-02-21' });
    expect(series.map((p) => p.features[0]!.count)).toEqual([0, 1, 0]);
    // Online serving returned that value once (seed flow): skew compares it with the training window.
    const skew = await client.monitoring.skew({ entity: 'usuario', features: ['usuario_idade'], training: february });
    expect(skew.features[0]).toMatchObject({ feature: 'usuario_idade', current_count: 1, drifted: false });
    const operations = await client.monitoring.operations();
    expect(operations.freshness.map((g) => g.feature_group)).toContain('demografia');
    expect(operations.latency.length).toBeGreaterThan(0);

    // A freshness rule with a one-minute limit: the 2025 value is far older, so it fires.
    await client.monitoring.rules.save({ name: 'demografia_fresh', type: 'freshness', entity: 'usuario', feature_group: 'demografia', threshold: 60 });
    expect((await client.monitoring.rules.get('demografia_fresh')).created_by).toBe('local');
    const evaluations = await client.monitoring.evaluate();
    expect(evaluations).toMatchObject([{ rule: 'demografia_fresh', target: 'usuario/demografia', breached: true }]);
    const [firing] = await client.monitoring.alerts.list({ state: 'firing' });
    expect((await client.monitoring.overview()).firing_alerts.map((a) => a.id)).toEqual([firing!.id]);
    expect(await client.monitoring.alerts.acknowledge(firing!.id)).toMatchObject({ acknowledged_by: 'local', state: 'firing' });

    // Deleting the rule resolves its alert.
    await client.monitoring.rules.delete('demografia_fresh');
    expect(await client.monitoring.rules.list()).toEqual([]);
    expect((await client.monitoring.alerts.list({ rule: 'demografia_fresh' })).map((a) => a.state)).toEqual(['resolved']);
    const invalid = await client.monitoring.rules.save({ name: 'no_baseline', type: 'drift', entity: 'usuario', features: ['usuario_idade'] }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'FSTORE_VALIDATION_FAILED', details: [{ path: '/baseline' }] });
  });

  it('rebuilds service errors as FStoreApiError with code, status and details', async () => {
    const error = await client.features.get('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ status: 404, code: 'FSTORE_FEATURE_NOT_FOUND', message: "Feature 'nope' does not exist" });
    const rejected = await client.ingestRows('usuario', 'demografia', [{ usuario_id: 'u', usuario_idade: 'x' }]).catch((e: unknown) => e as FStoreApiError);
    expect(rejected).toMatchObject({ status: 422, code: 'FSTORE_INGEST_REJECTED' });
    expect((rejected as FStoreApiError).details).toMatchObject({ invalid_rows: 1 });
    // The request's id, as the service logged it: a fresh UUID per request.
    expect((error as FStoreApiError).requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect((rejected as FStoreApiError).requestId).not.toBe((error as FStoreApiError).requestId);
  });

  it('reports an unreachable service as a network error', async () => {
    const offline = createFStoreClient({ baseUrl: 'http://127.0.0.1:1', fetch: (url) => fetch(url) as never });
    await expect(offline.health()).rejects.toMatchObject({ code: 'FSTORE_NETWORK', status: 0 });
  });
});
