import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplyResult, DefinitionBundle, DefinitionPlan } from '@shared/api/definitions.js';
import { startTestService, type TestService } from './helpers.js';

const SQL = 'SELECT user_id, AVG(amount) AS user_avg_amount FROM payments GROUP BY user_id';

describe('definitions as code (export, plan, apply)', () => {
  let source: TestService;
  let target: TestService;
  let sourceDir: string;
  let exported: DefinitionBundle;

  const plan = async (s: TestService, bundle: DefinitionBundle, prune = false) => {
    const res = await s.post('/api/definitions/plan', { bundle, prune });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as DefinitionPlan;
  };
  const actions = (p: DefinitionPlan) => p.changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.action} ${c.kind} ${c.name}`);

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'fstore-defs-'));
    writeFileSync(join(sourceDir, 'payments.csv'), 'user_id,amount\nu1,10\nu1,30\nu2,5\n');
    source = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    target = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    await source.post('/api/entities/', { name: 'user', description: 'A customer account', tags: ['core'] });
    await source.post('/api/feature-groups/', { name: 'user_profile', entity: 'user', description: 'Profile', ttl_seconds: 86400 });
    await source.post('/api/features/', { name: 'user_age', entity: 'user', value_type: 'INT', feature_group: 'user_profile', description: 'Age in years', tags: ['demo'], validation: { min: 0, max: 130, action: 'reject' } });
    await source.post('/api/features/', { name: 'user_city', entity: 'user', value_type: 'STRING', feature_group: 'user_profile' });
    await source.post('/api/data-sources/', { name: 'payments', type: 'file', path: join(sourceDir, 'payments.csv'), description: 'Card payments' });
    const t = await source.post('/api/transforms/', { name: 'user_payments', language: 'sql', code: SQL, sources: ['payments'], entity: 'user', ttl_seconds: 3600 });
    expect(t.statusCode, t.body).toBe(201);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('exports what was authored, not what a transform computes', async () => {
    exported = (await source.get('/api/definitions/export')).json() as DefinitionBundle;
    expect(exported.entities!.map((e) => e['name'])).toEqual(['user']);
    expect(exported.feature_groups!.map((g) => g['name'])).toEqual(['user_profile']);
    expect(exported.features!.map((f) => f['name'])).toEqual(['user_age', 'user_city']);
    expect(exported.data_sources![0]).toMatchObject({ name: 'payments', type: 'file', format: 'csv', description: 'Card payments' });
    expect(exported.transforms![0]).toMatchObject({ name: 'user_payments', code: SQL, sources: ['payments'], entity_key_column: 'user_id', event_time_column: null, ttl_seconds: 3600, online: true });
    expect(exported.features![0]).toMatchObject({ validation: { min: 0, max: 130, action: 'reject' } });
  });

  it('round trip: apply to an empty store, export again, identical', async () => {
    const first = await plan(target, exported);
    expect(actions(first)).toEqual([
      'create entity user',
      'create feature_group user_profile',
      'create feature user_age',
      'create feature user_city',
      'create data_source payments',
      'create transform user_payments',
    ]);
    const applied = await target.post('/api/definitions/apply', { bundle: exported }, { 'x-fstore-user': 'ci-bot' });
    expect(applied.statusCode, applied.body).toBe(200);
    expect((applied.json() as ApplyResult).applied).toHaveLength(6);
    const again = (await target.get('/api/definitions/export')).json();
    expect(again).toEqual(exported);
    expect(actions(await plan(target, exported))).toEqual([]);
    // The derived group and features exist, computed by the transform.
    expect((await target.get('/api/features/user_avg_amount')).json()).toMatchObject({ source: 'transform:user_payments', value_type: 'FLOAT' });
    const audit = (await target.get('/api/audit?actor=ci-bot')).json() as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['entity.create', 'feature.create', 'data_source.create', 'transform.create']));
  });

  it('plans field-level changes with impact: breaking changes, dependents, recomputation', async () => {
    const bundle = structuredClone(exported);
    bundle.features!.find((f) => f['name'] === 'user_age')!['value_type'] = 'FLOAT';
    bundle.transforms![0]!['code'] = SQL.replace('AVG', 'MAX');
    bundle.data_sources![0]!['description'] = 'Card payments, settled';
    bundle.features = bundle.features!.filter((f) => f['name'] !== 'user_city');
    const p = await plan(target, bundle);
    const byName = Object.fromEntries(p.changes.map((c) => [`${c.kind}/${c.name}`, c]));
    expect(byName['feature/user_age']).toMatchObject({ action: 'update', breaking: true, reasons: ['value type INT -> FLOAT'] });
    expect(byName['feature/user_age']!.changes).toEqual([{ field: 'value_type', before: 'INT', after: 'FLOAT' }]);
    expect(byName['transform/user_payments']).toMatchObject({ action: 'update', recompute: ['user_payments'] });
    expect(byName['transform/user_payments']!.dependents).toEqual(
      expect.arrayContaining([{ kind: 'feature_group', name: 'user_payments' }, { kind: 'feature', name: 'user_avg_amount' }]),
    );
    expect(byName['data_source/payments']).toMatchObject({ action: 'update', breaking: false, recompute: ['user_payments'] });
    expect(byName['feature/user_city']).toMatchObject({ action: 'not_listed', breaking: false });
    expect(p.breaking).toBe(true);

    const pruned = await plan(target, bundle, true);
    expect(pruned.changes.find((c) => c.name === 'user_city')).toMatchObject({ action: 'archive', breaking: true });
    // A plan writes nothing.
    expect((await target.get('/api/features/user_age')).json().value_type).toBe('INT');

    const applied = (await target.post('/api/definitions/apply', { bundle, prune: true })).json() as ApplyResult;
    expect(applied.applied.map((a) => `${a.action} ${a.name}`)).toEqual(
      expect.arrayContaining(['update user_age', 'update payments', 'update user_payments', 'archive user_city']),
    );
    expect((await target.get('/api/features/user_city')).json().status).toBe('archived');
    expect((await target.get('/api/transforms/user_payments')).json().version).toBe(2);
  });

  it('restores an archived object the bundle lists again', async () => {
    const p = await plan(target, exported);
    expect(p.changes.find((c) => c.name === 'user_city')).toMatchObject({ action: 'restore' });
    await target.post('/api/definitions/apply', { bundle: exported });
    expect((await target.get('/api/features/user_city')).json().status).toBe('active');
  });

  it('rejects invalid bundles and immutable changes, naming the object and field', async () => {
    const invalid = await target.post('/api/definitions/plan', { bundle: { features: [{ name: 'user_x', entity: 'user', value_type: 'NUMBER' }] } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toMatch(/feature 'user_x'/);
    expect(invalid.json().error.details[0].path).toBe('/features/0/value_type');
    const moved = structuredClone(exported);
    moved.feature_groups![0]!['entity'] = 'account';
    const immutable = await target.post('/api/definitions/plan', { bundle: moved });
    expect(immutable.statusCode).toBe(400);
    expect(immutable.json().error.message).toMatch(/feature_group 'user_profile': entity cannot change/);
    const twice = await target.post('/api/definitions/plan', { bundle: { entities: [{ name: 'user' }, { name: 'user' }] } });
    expect(twice.json().error.message).toMatch(/listed twice/);
  });

  it('warns about names and documentation', async () => {
    const p = await plan(target, exported);
    expect(p.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'feature', name: 'user_city', rule: 'description' }),
        expect.objectContaining({ kind: 'feature', name: 'user_city', rule: 'tags' }),
        expect.objectContaining({ kind: 'transform', name: 'user_payments', rule: 'description' }),
      ]),
    );
    expect(p.warnings.some((w) => w.name === 'user_age')).toBe(false);
  });
});
