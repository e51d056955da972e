import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

describe('registry API', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('keeps an explicit null source and replaced_by as null, never as an empty string', async () => {
    const group = await s.post('/api/feature-groups/', { name: 'nulos_grupo', entity: 'nulos', source: null });
    expect(group.statusCode, group.body).toBe(201);
    expect(group.json().source).toBeNull();
    const feature = await s.post('/api/features/', { name: 'nulos_valor', entity: 'nulos', value_type: 'INT', source: null });
    expect(feature.statusCode, feature.body).toBe(201);
    expect(feature.json().source).toBeNull();
    const deprecated = await s.post('/api/features/nulos_valor/deprecate', { reason: 'replaced by nothing yet', replaced_by: null });
    expect(deprecated.statusCode, deprecated.body).toBe(200);
    expect(deprecated.json().deprecation.replaced_by ?? null).toBeNull();
  });

  it('refuses a source or replaced_by sent as a one-item array, writing nothing (it used to be stored, then break every listing)', async () => {
    // Found by the registry property test (seed -1894980890): ["~4x"] passed the coercing validator.
    // JSON bodies are now validated without coercion, so the schema refuses it by name.
    const listing = async () => (await s.get('/api/feature-groups/?include_archived=true')).body;
    const before = await listing();
    const group = await s.post('/api/feature-groups/', { name: 'lista_grupo', entity: 'lista', source: ['~4x'] });
    expect(group.statusCode, group.body).toBe(400);
    expect(group.json().error.message).toMatch(/^body\/source: must be null; body\/source: must be string/);
    const feature = await s.post('/api/features/', { name: 'lista_valor', entity: 'lista', value_type: 'INT', source: ['x'] });
    expect(feature.statusCode, feature.body).toBe(400);
    expect((await s.put('/api/features/nulos_valor', { source: ['x'] })).statusCode).toBe(400);
    expect((await s.put('/api/feature-groups/nulos_grupo', { source: ['x'] })).statusCode).toBe(400);
    expect((await s.post('/api/features/nulos_valor/deprecate', { reason: 'r', replaced_by: ['x'] })).statusCode).toBe(400);
    expect(await listing()).toBe(before);
    expect((await s.get('/api/features/lista_valor')).statusCode).toBe(404);
  });

  it("accepts the seed's POST /api/features/ verbatim and returns the stored feature with its version", async () => {
    const res = await s.post('/api/features/', SEED_FEATURE);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ ...SEED_FEATURE, version: 1, status: 'active', feature_group: null });
    expect(body.warnings).toContain("Entity 'usuario' did not exist and was created with join key 'usuario_id'");
    const entity = await s.get('/api/entities/usuario');
    expect(entity.json()).toMatchObject({ name: 'usuario', join_key: 'usuario_id', version: 1 });
    expect((await s.get('/api/features/usuario_idade')).json()).toMatchObject({ name: 'usuario_idade', version: 1 });
  });

  it('rejects a non-snake_case name saying why, and writes nothing (not even the entity)', async () => {
    const res = await s.post('/api/features/', { ...SEED_FEATURE, name: 'Usuario Idade', entity: 'cliente' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('FSTORE_INVALID_NAME');
    expect(res.json().error.message).toMatch(/not snake_case.*'usuario_idade'/);
    expect((await s.get('/api/entities/cliente')).statusCode).toBe(404);
    expect((await s.get('/api/features/Usuario%20Idade')).statusCode).toBe(404);
  });

  it('warns when the entity prefix is missing but accepts the name', async () => {
    const res = await s.post('/api/features/', { ...SEED_FEATURE, name: 'idade_bruta' });
    expect(res.statusCode).toBe(201);
    expect(res.json().warnings.join(' ')).toMatch(/'usuario_idade_bruta' is recommended/);
  });

  it('rejects unknown fields, bad enums and incoherent types with field paths', async () => {
    const unknown = await s.post('/api/features/', { ...SEED_FEATURE, name: 'usuario_x', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain("unknown field 'colour'");
    const badEnum = await s.post('/api/features/', { ...SEED_FEATURE, name: 'usuario_y', value_type: 'DECIMAL' });
    expect(badEnum.statusCode).toBe(400);
    expect(badEnum.json().error.details[0].path).toBe('body/value_type');
    const incoherent = await s.post('/api/features/', { ...SEED_FEATURE, name: 'usuario_z', value_type: 'STRING' });
    expect(incoherent.statusCode).toBe(400);
    expect(incoherent.json().error.message).toBe('feature_type NUMERIC needs value_type INT or FLOAT, not STRING');
    const missing = await s.post('/api/features/', { name: 'usuario_w', entity: 'usuario' });
    expect(missing.json().error.message).toContain("required field 'value_type' is missing");
    expect((await s.get('/api/features/?q=usuario_')).json().map((f: { name: string }) => f.name)).not.toContain('usuario_x');
  });

  it('rejects a duplicate name with 409', async () => {
    const res = await s.post('/api/features/', SEED_FEATURE);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('FSTORE_ALREADY_EXISTS');
  });

  it('accepts list value types such as STRING_LIST (the e-commerce example)', async () => {
    const res = await s.post('/api/features/', {
      name: 'usuario_favorite_categories',
      value_type: 'STRING_LIST',
      entity: 'usuario',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().feature_type).toBe('CATEGORICAL');
  });

  it('versions every change, lists and reads versions, and diffs two of them', async () => {
    const put = await s.put('/api/features/usuario_idade', { description: 'Idade em anos', tags: ['demografia'] }, { 'x-fstore-user': 'ana' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ version: 2, description: 'Idade em anos', updated_by: 'ana' });
    const same = await s.put('/api/features/usuario_idade', { description: 'Idade em anos' });
    expect(same.json().version).toBe(2);
    expect(same.json().warnings).toEqual(['No field changed; no new version was created']);
    const versions = (await s.get('/api/features/usuario_idade/versions')).json();
    expect(versions.map((v: { version: number; author: string }) => [v.version, v.author])).toEqual([
      [1, 'local'],
      [2, 'ana'],
    ]);
    expect(versions[1].summary).toBe('changed description, tags');
    expect((await s.get('/api/features/usuario_idade/versions/1')).json().definition.description).toBe('Idade do usuário');
    const diff = (await s.get('/api/features/usuario_idade/diff?from=1&to=2')).json();
    expect(diff.changes).toEqual([
      { field: 'description', before: 'Idade do usuário', after: 'Idade em anos' },
      { field: 'tags', before: ['demografia', 'basico'], after: ['demografia'] },
    ]);
    expect((await s.get('/api/features/usuario_idade/versions/9')).json().error.code).toBe('FSTORE_VERSION_NOT_FOUND');
  });

  it('detects a stale If-Match instead of overwriting', async () => {
    const res = await s.put('/api/features/usuario_idade', { description: 'stale' }, { 'if-match': '1' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('FSTORE_VERSION_CONFLICT');
    expect((await s.get('/api/features/usuario_idade')).json().description).toBe('Idade em anos');
  });

  it('50 concurrent edits of one feature yield one version each or a clear conflict, never a lost update', async () => {
    await s.post('/api/features/', { name: 'usuario_concorrente', value_type: 'INT', entity: 'usuario' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => s.put('/api/features/usuario_concorrente', { description: `edit ${i}` }, { 'x-fstore-user': `writer${i}` })),
    );
    const ok = results.filter((r) => r.statusCode === 200);
    const conflicts = results.filter((r) => r.statusCode === 409);
    expect(ok.length + conflicts.length).toBe(50);
    for (const c of conflicts) expect(c.json().error.code).toBe('FSTORE_VERSION_CONFLICT');
    const versions = (await s.get('/api/features/usuario_concorrente/versions')).json() as { version: number; author: string; definition: { description: string } }[];
    // Every accepted edit is exactly one version, with its own author and text.
    expect(versions.length).toBe(1 + ok.length);
    const accepted = ok.map((r) => r.json().description as string).sort();
    expect(versions.slice(1).map((v) => v.definition.description).sort()).toEqual(accepted);
    expect(new Set(ok.map((r) => r.json().version)).size).toBe(ok.length);
  });

  it('archives (recorded as a version), hides from lists, refuses changes, and restores', async () => {
    const del = await s.del('/api/features/idade_bruta');
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ status: 'archived', version: 2 });
    expect((await s.get('/api/features/')).json().map((f: { name: string }) => f.name)).not.toContain('idade_bruta');
    expect((await s.get('/api/features/?include_archived=true')).json().map((f: { name: string }) => f.name)).toContain('idade_bruta');
    expect((await s.put('/api/features/idade_bruta', { description: 'x' })).json().error.code).toBe('FSTORE_ARCHIVED');
    const recreate = await s.post('/api/features/', { ...SEED_FEATURE, name: 'idade_bruta' });
    expect(recreate.json().error.message).toMatch(/archived; restore it/);
    const restored = await s.post('/api/features/idade_bruta/restore', {});
    expect(restored.json()).toMatchObject({ status: 'active', version: 3 });
    expect((await s.get('/api/features/idade_bruta/diff?from=1&to=2')).json().changes).toEqual([
      { field: 'status', before: 'active', after: 'archived' },
    ]);
  });

  it('filters features by entity, tag and text', async () => {
    await s.post('/api/features/', { name: 'produto_preco', value_type: 'FLOAT', entity: 'produto', tags: ['preco'], description: 'Preço atual' });
    const names = async (q: string) => (await s.get(`/api/features/?${q}`)).json().map((f: { name: string }) => f.name);
    expect(await names('entity=produto')).toEqual(['produto_preco']);
    expect(await names('tag=demografia')).toEqual(['idade_bruta', 'usuario_idade']);
    expect(await names('q=PREÇO')).toEqual(['produto_preco']);
    expect(await names('entity=usuario&q=favorite')).toEqual(['usuario_favorite_categories']);
  });

  it('manages feature groups and entities with the same versioning', async () => {
    const g = await s.post('/api/feature-groups/', { name: 'precos', entity: 'produto', ttl_seconds: 3600, owner: 'pricing' });
    expect(g.statusCode).toBe(201);
    expect(g.json()).toMatchObject({ name: 'precos', ttl_seconds: 3600, online: true, features: [] });
    const f = await s.post('/api/features/', { name: 'produto_estoque', value_type: 'INT', entity: 'produto', feature_group: 'precos' });
    expect(f.statusCode).toBe(201);
    expect((await s.get('/api/feature-groups/precos')).json().features).toEqual(['produto_estoque']);
    const wrongEntity = await s.post('/api/features/', { name: 'usuario_estoque', value_type: 'INT', entity: 'usuario', feature_group: 'precos' });
    expect(wrongEntity.json().error.message).toBe("Feature group 'precos' belongs to entity 'produto', not 'usuario'");
    expect((await s.put('/api/feature-groups/precos', { ttl_seconds: 60 })).json().version).toBe(2);
    expect((await s.get('/api/feature-groups/precos/diff?from=1&to=2')).json().changes).toEqual([
      { field: 'ttl_seconds', before: 3600, after: 60 },
    ]);
    expect((await s.del('/api/entities/produto')).json().error.message).toMatch(/still used by group 'precos'/);
    expect((await s.put('/api/entities/produto', { description: 'Produtos' })).json().version).toBe(2);
    expect((await s.get('/api/entities/produto/versions')).json().length).toBe(2);
  });

  it('records an audit event for every mutation', async () => {
    const events = (await s.get('/api/audit?name=usuario_idade')).json();
    expect(events.map((e: { action: string }) => e.action)).toEqual(['feature.update', 'feature.create']);
    expect(events[0]).toMatchObject({ actor: 'ana', version_before: 1, version_after: 2 });
    expect((await s.get('/api/audit?actor=ana')).json().length).toBe(1);
  });

  it('answers unknown routes and bad JSON with the error shape', async () => {
    const missing = await s.get('/api/nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('FSTORE_ROUTE_NOT_FOUND');
    const bad = await s.app.inject({ method: 'POST', url: '/api/features/', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('FSTORE_VALIDATION_FAILED');
  });

  it('publishes OpenAPI at /openapi.json and docs at /docs', async () => {
    const spec = (await s.get('/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/features/', '/api/online/features', '/api/training/point-in-time', '/api/ingest/{entity}/{feature_group}/upload']),
    );
    const docs = await s.get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe('CORS', () => {
  it('allows the desktop origin (with preflight) and no other by default', async () => {
    const s = await startTestService();
    try {
      const preflight = await s.app.inject({
        method: 'OPTIONS',
        url: '/api/features/',
        headers: { origin: 'app://fstore', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('app://fstore');
      const other = await s.app.inject({ method: 'GET', url: '/api/features/', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
