import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@shared/domain/schemas.js';
import { OPERATIONS, READ_ONLY_ROUTES, REGISTRY_ROUTES } from '../src/http/operation-audit.js';
import { startTestService, type TestService } from './helpers.js';

describe('audit and lifecycle', () => {
  let s: TestService;
  const as = (user: string) => ({ 'x-fstore-user': user });
  const auditOf = async (actor: string) => (await s.get(`/api/audit?actor=${actor}&limit=1000`)).json() as AuditEvent[];

  beforeAll(async () => {
    s = await startTestService(undefined, { monitoringIntervalSeconds: 0 });
  });
  afterAll(() => s.close());

  it('classifies every mutating route: audited by the registry, audited as an operation, or read-only', async () => {
    const doc = (await s.get('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const unclassified: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/')) continue;
      const route = path.replace(/\{(\w+)\}/g, ':$1');
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        if (!['POST', 'PUT', 'DELETE', 'PATCH'].includes(method)) continue;
        const key = `${method} ${route}`;
        if (!REGISTRY_ROUTES.has(key) && !READ_ONLY_ROUTES.has(key) && !OPERATIONS[key]) unclassified.push(key);
      }
    }
    expect(unclassified).toEqual([]);
  });

  it('records who did each operation, to which object', async () => {
    const ingest = await s.post('/api/ingest/cliente/perfil', { rows: [{ cliente_id: 'c1', cliente_idade: 30 }] }, as('ana'));
    expect(ingest.statusCode).toBe(200);
    await s.post('/api/push', { records: [{ entity_key: 'c1', feature_name: 'cliente_idade', value: 31 }] }, as('ana'));
    await s.post('/api/monitoring/rules', { name: 'fresh', type: 'freshness', entity: 'cliente' }, as('ana'));
    await s.post('/api/materialize', { entity: 'cliente', feature_group: 'perfil' }, as('ana'));
    const failed = await s.post('/api/ingest/cliente/perfil', { rows: [{ cliente_idade: 1 }] }, as('ana'));
    expect(failed.statusCode).toBe(422);
    const events = await auditOf('ana');
    expect(events.map((e) => [e.action, e.kind, e.name])).toEqual([
      ['feature_group.materialize', 'feature_group', 'perfil'],
      ['alert_rule.put', 'alert_rule', 'fresh'],
      ['stream.push', 'stream', 'push'],
      ['feature_group.ingest', 'feature_group', 'perfil'],
      ['feature.create', 'feature', 'cliente_idade'],
      ['feature_group.create', 'feature_group', 'perfil'],
      ['entity.create', 'entity', 'cliente'],
    ]);
    expect(events[0]!.details).toMatchObject({ method: 'POST', route: '/api/materialize', status: 202 });
    // Reads are not audited.
    await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: ['idade'] }, as('bob'));
    expect(await auditOf('bob')).toEqual([]);
  });

  it('deprecate: still served with a warning; archive: not served; restore: back, all audited', async () => {
    await s.post('/api/features/', { name: 'cliente_idade_anos', entity: 'cliente', value_type: 'INT', feature_group: 'perfil' });
    const missing = await s.post('/api/features/cliente_idade/deprecate', { reason: 'Use the exact age', replaced_by: 'nope' }, as('carla'));
    expect(missing.statusCode).toBe(404);
    const deprecated = await s.post('/api/features/cliente_idade/deprecate', { reason: 'Use the exact age', replaced_by: 'cliente_idade_anos' }, as('carla'));
    expect(deprecated.statusCode, deprecated.body).toBe(200);
    expect(deprecated.json()).toMatchObject({ status: 'deprecated', deprecation: { reason: 'Use the exact age', replaced_by: 'cliente_idade_anos' } });

    const online = await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: ['idade'] });
    expect(online.json().results[0].features.idade).toMatchObject({ status: 'PRESENT' });
    expect(online.json().warnings).toEqual(["Feature 'cliente_idade' is deprecated: Use the exact age; use 'cliente_idade_anos'"]);
    expect(online.headers['x-fstore-warning']).toContain('deprecated');
    const csv = await s.post('/api/training/point-in-time', { entity: 'cliente', feature_list: ['idade'], rows: [{ entity_key: 'c1', timestamp: '2100-01-01' }], format: 'csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['x-fstore-warning']).toContain("'cliente_idade' is deprecated");
    // Ingestion into a deprecated feature still works (clients migrate at their pace).
    expect((await s.post('/api/ingest/cliente/perfil', { rows: [{ cliente_id: 'c2', idade: 40 }] })).statusCode).toBe(200);

    expect((await s.del('/api/features/cliente_idade')).statusCode).toBe(200);
    const gone = await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: ['idade'] });
    expect(gone.json().error.code).toBe('FSTORE_FEATURE_NOT_FOUND');

    const restored = await s.post('/api/features/cliente_idade/restore', {}, as('carla'));
    expect(restored.json()).toMatchObject({ status: 'active', deprecation: null });
    const versions = (await s.get('/api/features/cliente_idade/versions')).json() as { action: string }[];
    expect(versions.map((v) => v.action).slice(-3)).toEqual(['deprecate', 'archive', 'restore']);
    expect((await auditOf('carla')).map((e) => e.action)).toEqual(['feature.restore', 'feature.deprecate']);
  });
});
