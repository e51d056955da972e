import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, BatchQuality, DriftReport, OperationsReport, QualityReport, RuleEvaluation } from '@shared/api/monitoring.js';
import { startTestService, type TestService } from './helpers.js';
import { seededNormals as normals } from './seeded-normals.js';

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();


describe('monitoring API', () => {
  let s: TestService;
  let hook: Server;
  const received: { alert: Alert }[] = [];
  let hookUrl: string;

  /** Rows for `group`: `n` per window, spread over [from, to). */
  const rows = (values: number[], plans: string[], from: number, to: number) =>
    values.map((v, i) => ({ cliente_id: `c${i}`, event_timestamp: iso(from + ((to - from) * i) / values.length), cliente_score: Math.round(v * 1000) / 1000, cliente_plano: plans[i % plans.length] }));
  const ingest = async (group: string, body: unknown[]) => {
    const res = await s.post(`/api/ingest/cliente/${group}`, { rows: body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const baseline = { start: iso(NOW - 30 * DAY), end: iso(NOW - 20 * DAY) };

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as { alert: Alert });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    s = await startTestService(undefined, { monitoringIntervalSeconds: 0 });
    // "stable": baseline and the last day from the same distribution; "shifted": the last day moves.
    for (const [group, mean, plans] of [
      ['stable', 0, ['free', 'pro']],
      ['shifted', 1, ['pro', 'pro', 'pro', 'free']],
    ] as const) {
      const scores = (await s.post('/api/features/', { name: `${group}_score`, entity: 'cliente', value_type: 'FLOAT', feature_group: null })).statusCode;
      expect(scores).toBe(201);
      await s.post('/api/features/', { name: `${group}_plano`, entity: 'cliente', value_type: 'STRING' });
      const rename = (r: Record<string, unknown>[]) => r.map(({ cliente_score, cliente_plano, ...rest }) => ({ ...rest, [`${group}_score`]: cliente_score, [`${group}_plano`]: cliente_plano }));
      await ingest(group, rename(rows(normals(1, 2000, 0, 1), ['free', 'pro'], NOW - 30 * DAY, NOW - 20 * DAY)));
      await ingest(group, rename(rows(normals(2, 1000, mean, 1), [...plans], NOW - DAY / 2, NOW - 60_000)));
    }
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((r) => hook?.close(r));
  });

  it('reports drift: none for the same distribution, PSI and KS above thresholds for a shifted one', async () => {
    const res = await s.post('/api/monitoring/drift', {
      entity: 'cliente',
      features: ['stable_score', 'shifted_score', 'stable_plano', 'shifted_plano'],
      baseline,
      current: { start: iso(NOW - DAY), end: iso(NOW) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const byName = Object.fromEntries((res.json() as DriftReport).features.map((f) => [f.feature, f]));
    expect(byName['stable_score']).toMatchObject({ kind: 'numeric', baseline_count: 2000, current_count: 1000, drifted: false });
    expect(byName['stable_score']!.psi).toBeLessThan(0.1);
    expect(byName['stable_score']!.ks_p_value).toBeGreaterThan(0.01);
    expect(byName['shifted_score']!.psi).toBeGreaterThan(0.2);
    expect(byName['shifted_score']!.ks).toBeGreaterThan(0.3);
    expect(byName['shifted_score']!.ks_p_value).toBeLessThan(1e-6);
    expect(byName['shifted_score']!.drifted).toBe(true);
    expect(byName['shifted_score']!.bins).toHaveLength(10);
    expect(byName['shifted_score']!.bins.reduce((sum, b) => sum + b.baseline, 0)).toBeCloseTo(1, 9);
    // Categorical: baseline half free/half pro; shifted: 3/4 pro. Hand-computed PSI:
    // (0.75 - 0.5) ln(0.75/0.5) + (0.25 - 0.5) ln(0.25/0.5) = 0.25 (ln 1.5 + ln 2) = 0.2747
    expect(byName['shifted_plano']).toMatchObject({ kind: 'categorical', drifted: true });
    expect(byName['shifted_plano']!.psi).toBeCloseTo(0.25 * (Math.log(1.5) + Math.log(2)), 3);
    expect(byName['stable_plano']!.psi).toBeCloseTo(0, 6);
    expect(byName['shifted_plano']!.chi2_p_value).toBeLessThan(1e-6);
    expect(byName['shifted_plano']!.js).toBeGreaterThan(0);
  });

  it('rejects drift requests that name unknown features or bad windows', async () => {
    const unknown = await s.post('/api/monitoring/drift', { entity: 'cliente', features: ['nope'], baseline, current: baseline });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/'nope'/);
    const bad = await s.post('/api/monitoring/drift', { entity: 'cliente', features: ['stable_score'], baseline: { start: 'yesterday', end: '2025-01-01' }, current: baseline });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/start 'yesterday'/);
  });

  it('a drift rule fires for the shifted feature only, once, with a webhook, and shows in /metrics', async () => {
    for (const group of ['stable', 'shifted']) {
      const rule = await s.post('/api/monitoring/rules', { name: `${group}_drift`, type: 'drift', entity: 'cliente', feature_group: group, baseline, window_hours: 24, webhook_url: hookUrl });
      expect(rule.statusCode, rule.body).toBe(201);
    }
    const evaluations = (await s.post('/api/monitoring/evaluate', {})).json() as RuleEvaluation[];
    expect(evaluations.filter((e) => e.breached).map((e) => e.target).sort()).toEqual(['shifted_plano', 'shifted_score']);
    await s.post('/api/monitoring/evaluate', {}); // again: de-duplicated
    const firing = (await s.get('/api/monitoring/alerts?state=firing')).json() as Alert[];
    expect(firing.map((a) => [a.rule, a.target]).sort()).toEqual([
      ['shifted_drift', 'shifted_plano'],
      ['shifted_drift', 'shifted_score'],
    ]);
    expect(firing[0]!.message).toMatch(/drifted: PSI/);
    expect(received.map((r) => r.alert.target).sort()).toEqual(['shifted_plano', 'shifted_score']);

    const metrics = (await s.get('/metrics')).body;
    const psiLine = metrics.split('\n').find((l) => l.startsWith('fstore_feature_drift_psi{entity="cliente",feature="shifted_score"}'));
    expect(Number(psiLine?.split(' ').at(-1))).toBeGreaterThan(0.2);
    expect(metrics).toMatch(/fstore_alerts_firing\{rule="shifted_drift"\} 2/);

    const acked = await s.post(`/api/monitoring/alerts/${firing[0]!.id}/ack`, {}, { 'x-fstore-user': 'ana' });
    expect(acked.json()).toMatchObject({ acknowledged_by: 'ana', state: 'firing' });
    expect((await s.post('/api/monitoring/alerts/nope/ack', {})).statusCode).toBe(404);
  });

  it('a stale group fires a freshness alert; a fresh one does not', async () => {
    await s.post('/api/feature-groups/', { name: 'sessoes', entity: 'cliente', ttl_seconds: 3600 });
    await ingest('sessoes', [{ cliente_id: 'c1', event_timestamp: iso(NOW - 3 * 3600_000), cliente_sessoes: 3 }]);
    await s.post('/api/feature-groups/', { name: 'cliques', entity: 'cliente', ttl_seconds: 3600 });
    await ingest('cliques', [{ cliente_id: 'c1', event_timestamp: iso(Date.now() - 1000), cliente_cliques: 9 }]);
    expect((await s.post('/api/monitoring/rules', { name: 'fresh', type: 'freshness', entity: 'cliente' })).statusCode).toBe(201);
    const evaluations = ((await s.post('/api/monitoring/evaluate', {})).json() as RuleEvaluation[]).filter((e) => e.rule === 'fresh');
    const byTarget = Object.fromEntries(evaluations.map((e) => [e.target, e]));
    expect(byTarget['cliente/sessoes']).toMatchObject({ breached: true, threshold: 3600 });
    expect(byTarget['cliente/sessoes']!.value).toBeGreaterThan(3 * 3600 - 60);
    expect(byTarget['cliente/cliques']!.breached).toBe(false);
    const ops = (await s.get('/api/monitoring/operations')).json() as OperationsReport;
    // Coverage: 2000 known clients (c0..c1999); only c1 has a sessoes value, and it is past the TTL.
    expect(ops.freshness.find((g) => g.feature_group === 'sessoes')).toMatchObject({ stale: true, ttl_seconds: 3600, coverage: 0 });
    expect(ops.freshness.find((g) => g.feature_group === 'cliques')).toMatchObject({ stale: false, coverage: 1 / 2000 });
    expect(ops.freshness.find((g) => g.feature_group === 'stable')).toMatchObject({ coverage: 1 }); // no TTL: all 2000
    expect(ops.ingestion.values_written_total).toBeGreaterThan(6000);
    const overview = (await s.get('/api/monitoring/')).json();
    expect(overview.stale_groups).toContain('cliente/sessoes');
  });

  it('reports quality over a window and per batch', async () => {
    const res = await s.get(`/api/monitoring/quality?entity=cliente&features=cliente_sessoes,shifted_plano&start=${encodeURIComponent(iso(NOW - DAY))}&end=${encodeURIComponent(iso(NOW + 60_000))}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as QualityReport;
    const plano = report.features.find((f) => f.feature === 'shifted_plano')!;
    expect(plano).toMatchObject({ count: 1000, rows: 1000, null_rate: 0, distinct: 2, top: [{ value: 'pro', count: 750 }, { value: 'free', count: 250 }] });
    expect(report.features.find((f) => f.feature === 'cliente_sessoes')).toMatchObject({ count: 1, min: 3, max: 3, mean: 3 });

    const batches = (await s.get('/api/monitoring/quality/batches?entity=cliente&feature_group=shifted')).json() as BatchQuality[];
    expect(batches).toHaveLength(2);
    const latest = batches[0]!.features.find((f) => f.feature === 'shifted_score')!;
    expect(latest).toMatchObject({ count: 1000, nulls: 0 });
    expect(latest.mean).toBeGreaterThan(0.8);
  });

  it('validation rules: reject refuses the batch and names the rows; warn writes and reports', async () => {
    expect((await s.post('/api/features/', { name: 'cliente_idade', entity: 'cliente', value_type: 'INT', validation: { min: 0, max: 130, action: 'reject' } })).statusCode).toBe(201);
    const bad = await s.post('/api/ingest/cliente/perfil', { rows: [{ cliente_id: 'c1', cliente_idade: 30 }, { cliente_id: 'c2', cliente_idade: 200 }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.errors[0]).toMatchObject({ row: 2, column: 'cliente_idade', value: '200' });
    expect(bad.json().error.details.errors[0].reason).toMatch(/above the maximum 130/);
    expect((await s.get('/api/feature-groups/perfil')).statusCode).toBe(404); // nothing written, not even the group

    await s.put('/api/features/cliente_idade', { validation: { min: 0, max: 130, action: 'warn' } });
    const warned = await s.post('/api/ingest/cliente/perfil', { rows: [{ cliente_id: 'c1', cliente_idade: 30 }, { cliente_id: 'c2', cliente_idade: 200 }] });
    expect(warned.statusCode, warned.body).toBe(200);
    expect(warned.json().warnings.join(' ')).toMatch(/1 rows of 'cliente_idade' are above the maximum 130 .*first rows: 2/);
    const batches = (await s.get('/api/monitoring/quality/batches?entity=cliente&feature_group=perfil')).json() as BatchQuality[];
    expect(batches[0]!.rule_violations).toEqual([{ feature: 'cliente_idade', rule: 'max', rows: 1, action: 'warn' }]);

    await s.put('/api/features/cliente_idade', { validation: { allowed_values: [1, 2], action: 'reject' } });
    const pushed = await s.post('/api/push', { records: [{ entity_key: 'c1', feature_name: 'cliente_idade', value: 3 }] });
    expect(JSON.stringify(pushed.json())).toMatch(/not one of the allowed values/);

    const wrongType = await s.put('/api/features/cliente_idade', { validation: { pattern: '^a', action: 'warn' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toMatch(/pattern applies to STRING/);
  });

  it('measures training/serving skew from what online serving returned', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const served = await s.post('/api/online/features', { entity: 'cliente', entity_keys: keys, feature_list: ['stable_score', 'shifted_score'] });
    expect(served.statusCode).toBe(200);
    const res = await s.post('/api/monitoring/skew', { entity: 'cliente', features: ['stable_score', 'shifted_score'], training: baseline });
    expect(res.statusCode, res.body).toBe(200);
    const [stable, shifted] = res.json().features as DriftReport['features'];
    expect(stable).toMatchObject({ feature: 'stable_score', current_count: 1000, drifted: false });
    expect(shifted).toMatchObject({ feature: 'shifted_score', current_count: 1000, drifted: true });
    expect(shifted!.ks_p_value).toBeLessThan(1e-6);
  });

  it('reports latency percentiles per route', async () => {
    for (let i = 0; i < 5; i++) await s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: ['cliente_cliques'] });
    const ops = (await s.get('/api/monitoring/operations')).json() as OperationsReport;
    const online = ops.latency.find((l) => l.route === '/api/online/features');
    expect(online).toMatchObject({ method: 'POST' });
    expect(online!.count).toBeGreaterThanOrEqual(5);
    expect(online!.p50_ms).toBeGreaterThan(0);
    expect(online!.p99_ms).toBeGreaterThanOrEqual(online!.p50_ms!);
  });
});
