import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyInfo, IssuedApiKey, Role } from '@shared/api/keys.js';
import type { AuditEvent } from '@shared/domain/schemas.js';
import { isPublicRoute, ROUTE_ROLES } from '../src/auth/route-roles.js';
import { freshDataDir, startTestService, type TestService } from './helpers.js';

/**
 * API keys end to end through inject(): a service with auth on, keys made by an admin key that was
 * created while auth was off (as an operator bootstraps with the API or `fstore keys create`).
 */
describe('authentication and roles', () => {
  const dataDir = freshDataDir();
  let s: TestService;
  const keys: Record<string, string> = {};
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const call = (method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE', url: string, key?: string, body?: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({
      method,
      url,
      headers: { ...(key ? bearer(key) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const createKey = async (name: string, role: Role, extra: Record<string, unknown> = {}) => {
    const res = await call('POST', '/api/keys', keys['admin'], { name, role, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as IssuedApiKey;
  };

  beforeAll(async () => {
    // Bootstrap with auth off: create the first admin key and some data, then restart with auth on.
    const open = await startTestService(dataDir, { monitoringIntervalSeconds: 0 });
    const admin = await open.post('/api/keys', { name: 'root', role: 'admin' });
    expect(admin.statusCode, admin.body).toBe(201);
    keys['admin'] = (admin.json() as IssuedApiKey).key;
    expect((await open.post('/api/entities/', { name: 'cliente', join_key: 'cliente_id' })).statusCode).toBe(201);
    await open.close();
    s = await startTestService(dataDir, { monitoringIntervalSeconds: 0, authEnabled: true });
    keys['reader'] = (await createKey('dashboards', 'reader')).key;
    keys['writer'] = (await createKey('pipeline', 'writer')).key;
  });
  afterAll(() => s.close());

  it('gives every route of the OpenAPI document a role, so none is unprotected by accident', async () => {
    const doc = (await call('GET', '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      const route = path.replace(/\{(\w+)\}/g, ':$1');
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        const key = `${method} ${route}`;
        if (!ROUTE_ROLES[key] && !isPublicRoute(route)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(doc.paths)).toContain('/api/keys');
  });

  it('answers 401 with a clear message for a missing, malformed or unknown key', async () => {
    const missing = await call('GET', '/api/entities/');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json().error).toMatchObject({ code: 'FSTORE_UNAUTHENTICATED', message: expect.stringContaining('Authorization: Bearer') });
    const malformed = await call('GET', '/api/entities/', 'not-a-key');
    expect(malformed.json().error.message).toMatch(/malformed/);
    const [, id] = keys['reader']!.split('_');
    const wrongSecret = await call('GET', '/api/entities/', `fsk_${id}_${'A'.repeat(43)}`);
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.json().error.message).toMatch(/not recognised/);
    const unknownId = await call('GET', '/api/entities/', `fsk_${'0'.repeat(16)}_${'A'.repeat(43)}`);
    expect(unknownId.json().error.message).toMatch(/not recognised/);
    // A route that does not exist is a 404, with or without a key.
    expect((await call('GET', '/api/nothing-here')).statusCode).toBe(404);
  });

  it('serves liveness, the API description and the web UI without a key; metrics need a reader', async () => {
    expect((await call('GET', '/health')).statusCode).toBe(200);
    expect((await call('GET', '/openapi.json')).statusCode).toBe(200);
    expect((await call('GET', '/docs')).statusCode).toBeLessThan(400);
    expect((await call('GET', '/')).statusCode).toBe(200);
    expect((await call('GET', '/metrics')).statusCode).toBe(401);
    expect((await call('GET', '/metrics', keys['reader'])).statusCode).toBe(200);
  });

  it('accepts the key in X-API-Key, and in ?api_key= only on the server-sent-events route', async () => {
    expect((await call('GET', '/api/entities/', undefined, undefined, { 'x-api-key': keys['reader']! })).statusCode).toBe(200);
    expect((await call('GET', `/api/entities/?api_key=${keys['reader']}`)).statusCode).toBe(401);
    // The key got through: the job does not exist, so 404, not 401.
    const events = await call('GET', `/api/jobs/nope/events?api_key=${keys['reader']}`);
    expect(events.json().error.code).toBe('FSTORE_JOB_NOT_FOUND');
    expect((await call('GET', '/api/jobs/nope/events')).statusCode).toBe(401);
  });

  it('reader: serving and reads; not ingestion, registry changes or keys (403 naming the role needed)', async () => {
    expect((await call('GET', '/api/entities/cliente', keys['reader'])).statusCode).toBe(200);
    expect((await call('GET', '/api/audit', keys['reader'])).statusCode).toBe(200);
    const online = await call('POST', '/api/online/features', keys['reader'], { entity: 'cliente', entity_keys: ['c1'], feature_list: ['idade'] });
    expect(online.statusCode).not.toBe(401);
    expect(online.statusCode).not.toBe(403);
    const ingest = await call('POST', '/api/ingest/cliente/perfil', keys['reader'], { rows: [{ cliente_id: 'c1', idade: 30 }] });
    expect(ingest.statusCode).toBe(403);
    expect(ingest.json().error).toMatchObject({
      code: 'FSTORE_FORBIDDEN_ROLE',
      message: "API key 'dashboards' has role reader; POST /api/ingest/:entity/:feature_group needs role writer or higher",
      details: { role: 'reader', required: 'writer' },
    });
    expect((await call('POST', '/api/entities/', keys['reader'], { name: 'loja', join_key: 'loja_id' })).json().error.code).toBe('FSTORE_FORBIDDEN_ROLE');
    expect((await call('GET', '/api/keys', keys['reader'])).statusCode).toBe(403);
  });

  it('HEAD of a route needs the role of its GET: a reader may HEAD reader routes, not admin ones', async () => {
    for (const url of ['/api/entities/cliente', '/api/entities/', '/api/audit', '/api/jobs/', '/api/definitions/export', '/metrics']) {
      const head = await call('HEAD', url, keys['reader']);
      expect(head.statusCode, `HEAD ${url}`).toBe(200);
      expect(head.body).toBe('');
    }
    expect((await call('HEAD', '/api/keys', keys['reader'])).statusCode).toBe(403);
    expect((await call('HEAD', '/api/keys', keys['admin'])).statusCode).toBe(200);
    expect((await call('HEAD', '/api/entities/')).statusCode).toBe(401);
  });

  it('writer: ingestion, pushes and jobs; not registry changes, definitions apply or keys', async () => {
    const ingest = await call('POST', '/api/ingest/cliente/perfil', keys['writer'], { rows: [{ cliente_id: 'c1', idade: 30 }] });
    expect(ingest.statusCode, ingest.body).toBe(200);
    const push = await call('POST', '/api/push', keys['writer'], { records: [{ entity_key: 'c1', feature_name: 'idade', value: 31 }] });
    expect(push.statusCode, push.body).toBe(200);
    const entity = await call('POST', '/api/entities/', keys['writer'], { name: 'loja', join_key: 'loja_id' });
    expect(entity.json().error.message).toBe("API key 'pipeline' has role writer; POST /api/entities/ needs role admin");
    expect((await call('POST', '/api/definitions/apply', keys['writer'], { bundle: {} })).statusCode).toBe(403);
    expect((await call('POST', '/api/keys', keys['writer'], { name: 'x', role: 'admin' })).statusCode).toBe(403);
    expect((await call('DELETE', '/api/entities/cliente', keys['writer'])).statusCode).toBe(403);
    // Nothing was changed by the refused requests.
    expect((await call('GET', '/api/entities/loja', keys['admin'])).statusCode).toBe(404);
  });

  it('admin: registry changes and keys', async () => {
    const entity = await call('POST', '/api/entities/', keys['admin'], { name: 'loja', join_key: 'loja_id' });
    expect(entity.statusCode, entity.body).toBe(201);
    const list = (await call('GET', '/api/keys', keys['admin'])).json() as ApiKeyInfo[];
    expect(list.map((k) => [k.name, k.role, k.revoked])).toEqual([
      ['root', 'admin', false],
      ['dashboards', 'reader', false],
      ['pipeline', 'writer', false],
    ]);
    // Never a secret or a hash.
    expect(JSON.stringify(list)).not.toMatch(/hash|fsk_/);
    expect(list.find((k) => k.name === 'pipeline')!.last_used_at).not.toBeNull();
  });

  it('attributes every audited request to the key, ignoring X-FStore-User', async () => {
    const as = { 'x-fstore-user': 'mallory' };
    await call('POST', '/api/ingest/cliente/perfil', keys['writer'], { rows: [{ cliente_id: 'c2', idade: 40 }] }, as);
    expect((await call('POST', '/api/entities/', keys['admin'], { name: 'regiao', join_key: 'regiao_id' }, as)).statusCode).toBe(201);
    expect((await call('PUT', '/api/entities/regiao', keys['admin'], { description: 'Regiões' }, as)).statusCode).toBe(200);
    const audit = (await call('GET', '/api/audit?limit=1000', keys['admin'])).json() as AuditEvent[];
    expect(audit.filter((e) => e.actor === 'mallory')).toEqual([]);
    expect(audit.find((e) => e.action === 'feature_group.ingest')?.actor).toBe('key:pipeline');
    expect(audit.find((e) => e.action === 'api_key.create' && e.name === 'pipeline')?.actor).toBe('key:root');
    const entity = (await call('GET', '/api/audit?kind=entity&name=regiao', keys['admin'])).json() as AuditEvent[];
    expect(entity.map((e) => [e.version_after, e.actor])).toEqual([
      [2, 'key:root'],
      [1, 'key:root'],
    ]);
    const versions = (await call('GET', '/api/entities/regiao/versions', keys['reader'])).json() as { author: string }[];
    expect(versions.map((v) => v.author)).toEqual(['key:root', 'key:root']);
  });

  it('revokes a key: refused at once with a message saying so; revoking again changes nothing', async () => {
    const issued = await createKey('temp', 'reader');
    expect((await call('GET', '/api/entities/', issued.key)).statusCode).toBe(200);
    const revoked = await call('DELETE', `/api/keys/${issued.info.id}`, keys['admin']);
    expect(revoked.json()).toMatchObject({ name: 'temp', revoked: true });
    const refused = await call('GET', '/api/entities/', issued.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toMatch(/^The API key 'temp' was revoked at /);
    expect((await call('DELETE', `/api/keys/${issued.info.id}`, keys['admin'])).json().revoked_at).toBe(revoked.json().revoked_at);
    expect((await call('DELETE', '/api/keys/nope', keys['admin'])).json().error.code).toBe('FSTORE_API_KEY_NOT_FOUND');
    // The name is free again once revoked; an active duplicate is refused.
    await createKey('temp', 'reader');
    expect((await call('POST', '/api/keys', keys['admin'], { name: 'temp', role: 'reader' })).json().error.code).toBe('FSTORE_ALREADY_EXISTS');
  });

  it('rotates a key: same id, name and role; the old secret stops at once or after the grace period', async () => {
    const issued = await createKey('rotating', 'writer');
    const now = await call('POST', `/api/keys/${issued.info.id}/rotate`, keys['admin']); // no body: no grace period
    expect(now.statusCode, now.body).toBe(200);
    const rotated = now.json() as IssuedApiKey;
    expect(rotated.info).toMatchObject({ id: issued.info.id, name: 'rotating', role: 'writer', previous_secret_expires_at: null });
    expect(rotated.key).not.toBe(issued.key);
    expect((await call('GET', '/api/entities/', issued.key)).statusCode).toBe(401);
    expect((await call('GET', '/api/entities/', rotated.key)).statusCode).toBe(200);

    const graceful = (await call('POST', `/api/keys/${issued.info.id}/rotate`, keys['admin'], { grace_seconds: 3600 })).json() as IssuedApiKey;
    expect(graceful.info.previous_secret_expires_at).not.toBeNull();
    expect((await call('GET', '/api/entities/', rotated.key)).statusCode).toBe(200);
    expect((await call('GET', '/api/entities/', graceful.key)).statusCode).toBe(200);
    // Only the secret right before the last rotation is kept.
    expect((await call('GET', '/api/entities/', issued.key)).statusCode).toBe(401);
  });

  it('refuses an expiry in the past and a bad role, naming the field', async () => {
    const past = await call('POST', '/api/keys', keys['admin'], { name: 'old', role: 'reader', expires_at: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/expires_at .* is not in the future/);
    const role = await call('POST', '/api/keys', keys['admin'], { name: 'bad', role: 'root' });
    expect(role.statusCode).toBe(400);
    expect(role.body).toMatch(/role/);
    expect(((await call('GET', '/api/keys', keys['admin'])).json() as ApiKeyInfo[]).map((k) => k.name)).not.toContain('bad');
  });
});

describe('metrics without a key', () => {
  it('serves GET /metrics without a key when publicMetrics is set, and nothing else', async () => {
    const s = await startTestService(undefined, { monitoringIntervalSeconds: 0, authEnabled: true, publicMetrics: true });
    try {
      expect((await s.get('/metrics')).statusCode).toBe(200);
      expect((await s.get('/api/entities/')).statusCode).toBe(401);
    } finally {
      await s.close();
    }
  });
});
