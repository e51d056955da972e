import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFStoreClient, FStoreApiError, type FetchLike } from '@shared/api/client.js';
import type { DefinitionBundle, DefinitionPlan } from '@shared/api/definitions.js';
import type { LineageGraph } from '@shared/api/transforms.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

/**
 * Feature services: a named, versioned set of features from several groups, served online and in
 * training by name (`feature_service`). Runs on embedded stores, and on the servers with
 * vitest.services.config.ts (MongoDB registry, Redis online, PostgreSQL offline).
 */
describe('feature services', () => {
  let s: TestService;

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/feature-groups/', { name: 'perfil', entity: 'usuario' });
    await s.post('/api/feature-groups/', { name: 'sessao', entity: 'usuario' });
    await s.post('/api/feature-groups/', { name: 'loja_dados', entity: 'loja' });
    const ingested = await Promise.all([
      s.post('/api/ingest/usuario/perfil', {
        rows: [
          { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_idade: 30, usuario_plano: 'free' },
          { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_idade: 31, usuario_plano: 'pro' },
          { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_idade: 44, usuario_plano: 'free' },
        ],
      }),
      s.post('/api/ingest/usuario/sessao', { rows: [{ usuario_id: 'u1', event_timestamp: '2025-01-09T00:00:00Z', usuario_cliques: 7 }] }),
      s.post('/api/ingest/loja/loja_dados', { rows: [{ loja_id: 'l1', event_timestamp: '2025-01-09T00:00:00Z', loja_vendas: 3 }] }),
    ]);
    for (const r of ingested) expect(r.statusCode, r.body).toBe(200);
  });
  afterAll(() => s.close());

  const registryState = async () => ({
    services: (await s.get('/api/feature-services/?include_archived=true')).json(),
    audit: (await s.get('/api/audit?kind=feature_service')).json(),
  });

  it('creates a service from "group:feature" references and names, resolved to registered features of one entity', async () => {
    const res = await s.post('/api/feature-services/', {
      name: 'fraude_modelo',
      description: 'Inputs of the fraud model',
      features: ['perfil:idade', 'usuario_plano', 'sessao:usuario_cliques'],
      tags: ['fraude'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'fraude_modelo',
      entity: 'usuario',
      features: ['usuario_idade', 'usuario_plano', 'usuario_cliques'],
      tags: ['fraude'],
      version: 1,
      status: 'active',
      warnings: [],
    });
    expect((await s.get('/api/feature-services/fraude_modelo')).json()).toMatchObject({ version: 1, entity: 'usuario' });
    expect((await s.get('/api/feature-services/?feature=usuario_cliques')).json().map((x: { name: string }) => x.name)).toEqual(['fraude_modelo']);
    expect((await s.get('/api/feature-services/?entity=loja')).json()).toEqual([]);
  });

  it('refuses bad services with a clear 4xx and writes nothing', async () => {
    const before = await registryState();
    const cases: [unknown, number, string, RegExp][] = [
      [{ name: 'a_service', features: ['perfil:nada'] }, 404, 'FSTORE_FEATURE_NOT_FOUND', /'perfil:nada'/],
      [{ name: 'a_service', features: ['grupo_x:idade'] }, 404, 'FSTORE_FEATURE_GROUP_NOT_FOUND', /'grupo_x'/],
      [{ name: 'a_service', features: ['sessao:usuario_idade'] }, 404, 'FSTORE_FEATURE_NOT_FOUND', /'sessao:usuario_idade'/],
      [{ name: 'a_service', features: ['usuario_idade', 'loja_vendas'] }, 400, 'FSTORE_VALIDATION_FAILED', /one entity.*'usuario'.*'loja'/],
      [{ name: 'a_service', features: ['usuario_idade', 'perfil:idade'] }, 400, 'FSTORE_VALIDATION_FAILED', /'usuario_idade' is listed more than once/],
      [{ name: 'a_service', features: [':idade'] }, 400, 'FSTORE_VALIDATION_FAILED', /not "group:feature"/],
      [{ name: 'A Service', features: ['usuario_idade'] }, 400, 'FSTORE_INVALID_NAME', /snake_case/],
      [{ name: 'a_service', features: [] }, 400, 'FSTORE_VALIDATION_FAILED', /features/],
      [{ name: 'a_service', features: ['usuario_idade'], entity: 'usuario' }, 400, 'FSTORE_VALIDATION_FAILED', /entity/],
      [{ name: 'fraude_modelo', features: ['usuario_idade'] }, 409, 'FSTORE_ALREADY_EXISTS', /already exists/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await s.post('/api/feature-services/', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(message);
    }
    const update = await s.put('/api/feature-services/fraude_modelo', { features: ['usuario_idade', 'loja_vendas'] });
    expect(update.statusCode).toBe(400);
    expect(await registryState()).toEqual(before);
  });

  it('versions changes, diffs them, archives and restores, as every registry kind', async () => {
    await s.post('/api/feature-services/', { name: 'churn_modelo', features: ['perfil:idade'] });
    const same = await s.put('/api/feature-services/churn_modelo', { features: ['usuario_idade'] });
    expect(same.json().warnings).toContain('No field changed; no new version was created');
    const changed = await s.put('/api/feature-services/churn_modelo', { features: ['perfil:idade', 'perfil:plano'] }, { 'if-match': '1' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, features: ['usuario_idade', 'usuario_plano'] });
    const stale = await s.put('/api/feature-services/churn_modelo', { description: 'x' }, { 'if-match': '1' });
    expect(stale.statusCode).toBe(409);
    const versions = (await s.get('/api/feature-services/churn_modelo/versions')).json();
    expect(versions.map((v: { version: number; action: string }) => `${v.version} ${v.action}`)).toEqual(['1 create', '2 update']);
    const diff = (await s.get('/api/feature-services/churn_modelo/diff?from=1&to=2')).json();
    expect(diff.changes).toEqual([{ field: 'features', before: ['usuario_idade'], after: ['usuario_idade', 'usuario_plano'] }]);
    expect((await s.del('/api/feature-services/churn_modelo')).json()).toMatchObject({ version: 3, status: 'archived' });
    expect((await s.get('/api/feature-services/')).json().map((x: { name: string }) => x.name)).not.toContain('churn_modelo');
    const served = await s.post('/api/online/features', { feature_service: 'churn_modelo', entity_keys: ['u1'] });
    expect(served.statusCode).toBe(409);
    expect(served.json().error).toMatchObject({ code: 'FSTORE_ARCHIVED' });
    expect((await s.post('/api/feature-services/churn_modelo/restore', {})).json()).toMatchObject({ version: 4, status: 'active' });
    const audit = (await s.get('/api/audit?kind=feature_service&name=churn_modelo')).json();
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'feature_service.restore',
      'feature_service.archive',
      'feature_service.update',
      'feature_service.create',
    ]);
  });

  it('serves online by feature_service: the same answer as the feature list, entity taken from the service', async () => {
    const byService = await s.post('/api/online/features', { feature_service: 'fraude_modelo', entity_keys: ['u1', 'u9'] });
    expect(byService.statusCode, byService.body).toBe(200);
    const byList = await s.post('/api/online/features', {
      entity: 'usuario',
      entity_keys: ['u1', 'u9'],
      feature_list: ['usuario_idade', 'usuario_plano', 'usuario_cliques'],
    });
    expect(byService.json()).toEqual(byList.json());
    expect(byService.json().results[0].features.usuario_idade).toMatchObject({ value: 31, status: 'PRESENT' });
    const withEntity = await s.post('/api/online/features', { entity: 'usuario', feature_service: 'fraude_modelo', entity_keys: ['u1'] });
    expect(withEntity.statusCode).toBe(200);
  });

  it('refuses online and training requests that name no features, both forms, an unknown service or another entity', async () => {
    const cases: [string, Record<string, unknown>, number, string, RegExp][] = [
      ['/api/online/features', { feature_service: 'nenhum', entity_keys: ['u1'] }, 404, 'FSTORE_FEATURE_SERVICE_NOT_FOUND', /'nenhum' does not exist/],
      ['/api/online/features', { entity: 'usuario', feature_service: 'fraude_modelo', feature_list: ['usuario_idade'], entity_keys: ['u1'] }, 400, 'FSTORE_VALIDATION_FAILED', /not both/],
      ['/api/online/features', { entity: 'usuario', entity_keys: ['u1'] }, 400, 'FSTORE_VALIDATION_FAILED', /feature_list.*feature_service/],
      ['/api/online/features', { feature_list: ['usuario_idade'], entity_keys: ['u1'] }, 400, 'FSTORE_VALIDATION_FAILED', /entity is required/],
      ['/api/online/features', { entity: 'loja', feature_service: 'fraude_modelo', entity_keys: ['l1'] }, 400, 'FSTORE_VALIDATION_FAILED', /serves entity 'usuario', not 'loja'/],
      ['/api/training/features', { feature_service: 'nenhum', start_date: '2025-01-01', end_date: '2025-01-31' }, 404, 'FSTORE_FEATURE_SERVICE_NOT_FOUND', /nenhum/],
      ['/api/training/point-in-time', { feature_service: 'fraude_modelo', feature_list: ['usuario_idade'], rows: [{ entity_key: 'u1', timestamp: '2025-01-06T00:00:00Z' }] }, 400, 'FSTORE_VALIDATION_FAILED', /not both/],
      ['/api/jobs/training-set', { feature_service: 'nenhum', labels: { upload: 'x' } }, 404, 'FSTORE_FEATURE_SERVICE_NOT_FOUND', /nenhum/],
    ];
    const jobsBefore = (await s.get('/api/jobs/')).json().length;
    for (const [url, body, status, code, message] of cases) {
      const res = await s.post(url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(message);
    }
    expect((await s.get('/api/jobs/')).json().length).toBe(jobsBefore);
  });

  it('builds training sets by feature_service: range, point in time and a training-set job', async () => {
    const range = await s.post('/api/training/features', { feature_service: 'fraude_modelo', start_date: '2025-01-01', end_date: '2025-01-31' });
    expect(range.statusCode, range.body).toBe(200);
    expect(range.json().columns).toEqual(['entity_key', 'event_timestamp', 'usuario_idade', 'usuario_plano', 'usuario_cliques']);
    expect(range.json().row_count).toBe(4);
    const pit = await s.post('/api/training/point-in-time', {
      feature_service: 'fraude_modelo',
      rows: [
        { entity_key: 'u1', timestamp: '2025-01-09T12:00:00Z', fraude: true },
        { entity_key: 'u2', timestamp: '2025-01-06T00:00:00Z', fraude: false },
      ],
    });
    expect(pit.statusCode, pit.body).toBe(200);
    expect(pit.json().rows).toEqual([
      { entity_key: 'u1', timestamp: '2025-01-09T12:00:00Z', fraude: true, usuario_idade: 30, usuario_plano: 'free', usuario_cliques: 7 },
      { entity_key: 'u2', timestamp: '2025-01-06T00:00:00Z', fraude: false, usuario_idade: 44, usuario_plano: 'free', usuario_cliques: null },
    ]);
    const upload = await s.app.inject({
      method: 'POST',
      url: '/api/uploads/?format=csv&filename=labels.csv',
      payload: 'entity_key,timestamp,fraude\nu1,2025-01-09T12:00:00Z,1\n',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const job = await s.post('/api/jobs/training-set', { feature_service: 'fraude_modelo', labels: { upload: upload.json().upload_id }, format: 'csv' });
    expect(job.statusCode, job.body).toBe(202);
    const done = await waitForJob(s, job.json().id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({ entity: 'usuario', features: ['usuario_idade', 'usuario_plano', 'usuario_cliques'] });
  });

  it('keeps served features from being archived, and shows services in lineage', async () => {
    const archive = await s.del('/api/features/usuario_cliques');
    expect(archive.statusCode).toBe(409);
    expect(archive.json().error).toMatchObject({ code: 'FSTORE_IN_USE' });
    expect(archive.json().error.message).toMatch(/feature service 'fraude_modelo'/);
    const lineage = (await s.get('/api/lineage/feature/usuario_cliques')).json() as LineageGraph;
    expect(lineage.nodes.map((n) => n.id)).toContain('feature_service:fraude_modelo');
    expect(lineage.edges).toContainEqual({ from: 'feature:usuario_cliques', to: 'feature_service:fraude_modelo' });
    const up = (await s.get('/api/lineage/feature_service/fraude_modelo')).json() as LineageGraph;
    expect(up.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['feature:usuario_idade', 'feature_group:perfil', 'feature_group:sessao']));
  });

  it('exports services as definitions, plans with the services a change reaches, and applies them', async () => {
    const bundle = (await s.get('/api/definitions/export')).json() as DefinitionBundle;
    expect(bundle.feature_services).toContainEqual({
      name: 'fraude_modelo',
      description: 'Inputs of the fraud model',
      tags: ['fraude'],
      features: ['usuario_idade', 'usuario_plano', 'usuario_cliques'],
    });
    const unchanged = (await s.post('/api/definitions/plan', { bundle })).json() as DefinitionPlan;
    expect(unchanged.summary['create'] ?? 0).toBe(0);
    expect(unchanged.summary['update'] ?? 0).toBe(0);

    const features = bundle.features!.map((f) => (f['name'] === 'usuario_idade' ? { ...f, description: 'Idade em anos' } : f));
    const services = [
      ...bundle.feature_services!.map((x) => (x['name'] === 'fraude_modelo' ? { ...x, features: ['perfil:idade', 'perfil:plano', 'sessao:cliques'] } : x)),
      { name: 'risco_modelo', description: 'Credit risk', features: ['perfil:idade'] },
    ];
    const plan = (await s.post('/api/definitions/plan', { bundle: { ...bundle, features, feature_services: services } })).json() as DefinitionPlan;
    const idade = plan.changes.find((c) => c.kind === 'feature' && c.name === 'usuario_idade')!;
    expect(idade.action).toBe('update');
    expect(idade.feature_services.sort()).toEqual(['churn_modelo', 'fraude_modelo']);
    expect(plan.changes.filter((c) => c.kind === 'feature_service' && c.action !== 'unchanged').map((c) => `${c.action} ${c.name}`)).toEqual([
      'create risco_modelo',
    ]);
    const applied = await s.post('/api/definitions/apply', { bundle: { ...bundle, features, feature_services: services } });
    expect(applied.statusCode, applied.body).toBe(200);
    expect((await s.get('/api/feature-services/risco_modelo')).json()).toMatchObject({ entity: 'usuario', features: ['usuario_idade'], version: 1 });

    const broken = await s.post('/api/definitions/plan', { bundle: { feature_services: [{ name: 'ruim', features: 'usuario_idade' }] } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toMatch(/feature_service 'ruim'/);
  });

  it('works through the TypeScript client: create, list, versions, online and training by feature_service', async () => {
    // A fetch through Fastify's inject: the real routes, no socket.
    const fetch: FetchLike = async (url, init) => {
      const res = await s.app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.replace('http://fstore.test', ''),
        headers: init?.headers ?? {},
        ...(init?.body !== undefined ? { payload: init.body } : {}),
      });
      return { ok: res.statusCode < 400, status: res.statusCode, headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string) ?? null }, json: async () => res.json(), text: async () => res.body };
    };
    const client = createFStoreClient({ baseUrl: 'http://fstore.test', fetch });
    const created = await client.featureServices.create({ name: 'cliente_ts', features: ['perfil:plano', 'sessao:cliques'] });
    expect(created).toMatchObject({ entity: 'usuario', features: ['usuario_plano', 'usuario_cliques'], version: 1 });
    expect((await client.featureServices.list({ feature: 'usuario_plano' })).map((x) => x.name)).toContain('cliente_ts');
    await client.featureServices.update('cliente_ts', { description: 'typed' }, 1);
    expect((await client.featureServices.versions('cliente_ts')).map((v) => v.version)).toEqual([1, 2]);
    const online = await client.online({ feature_service: 'cliente_ts', entity_keys: ['u1'] });
    expect(online.results[0]!.features['usuario_plano']).toMatchObject({ value: 'pro', status: 'PRESENT' });
    const pit = await client.trainingPointInTime({ feature_service: 'cliente_ts', rows: [{ entity_key: 'u1', timestamp: '2025-01-09T12:00:00Z' }] });
    expect(pit.rows[0]).toMatchObject({ usuario_plano: 'free', usuario_cliques: 7 });
    const error = await client.featureServices.get('nenhum').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ status: 404, code: 'FSTORE_FEATURE_SERVICE_NOT_FOUND' });
  });
});
