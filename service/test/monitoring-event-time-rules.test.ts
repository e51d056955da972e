import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport, OperationsReport, RuleEvaluation } from '@shared/api/monitoring.js';
import { startTestService, type TestService } from './helpers.js';
import { seededNormals as normals } from './seeded-normals.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Historical data, long before today: what the dashboard shows and a wall-clock rule never sees. */
const BASELINE = { start: '2024-01-01', end: '2024-01-31' };
/** The dashboard's current window: the 7 days up to the day of the newest value (2024-03-10). */
const CURRENT = { start: '2024-03-04', end: '2024-03-10' };

describe('alert rules with event-time windows on historical data', () => {
  let s: TestService;
  const rows = (values: number[], from: number, to: number) =>
    values.map((v, i) => ({ loja_id: `l${i}`, event_timestamp: iso(from + ((to - from) * i) / values.length), loja_vendas: Math.round(v * 1000) / 1000 }));
  const evaluate = async (rule: string) => ((await s.post('/api/monitoring/evaluate', {})).json() as RuleEvaluation[]).filter((e) => e.rule === rule);

  beforeAll(async () => {
    s = await startTestService(undefined, { monitoringIntervalSeconds: 0 });
    expect((await s.post('/api/features/', { name: 'loja_vendas', entity: 'loja', value_type: 'FLOAT' })).statusCode).toBe(201);
    const ingest = async (body: unknown[]) => expect((await s.post('/api/ingest/loja/historico', { rows: body })).statusCode).toBe(200);
    await ingest(rows(normals(1, 2000, 0, 1), at('2024-01-01'), at('2024-02-01')));
    // The day before the current window, like the baseline: a window one day too wide would dilute the drift.
    await ingest(rows(normals(3, 1000, 0, 1), at('2024-03-03'), at('2024-03-04')));
    // The current window shifted, its newest value in the evening of 10 March.
    await ingest(rows(normals(2, 1000, 1, 1), at('2024-03-04'), at('2024-03-10') + 18 * HOUR));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a drift rule anchored at the newest event evaluates the whole days the dashboard compares, and fires', async () => {
    const dashboard = (await s.post('/api/monitoring/drift', { entity: 'loja', features: ['loja_vendas'], baseline: BASELINE, current: CURRENT })).json() as DriftReport;
    const seen = dashboard.features[0]!;
    expect(seen).toMatchObject({ current_count: 1000, drifted: true });

    const saved = await s.post('/api/monitoring/rules', {
      name: 'vendas_drift_event_time',
      type: 'drift',
      entity: 'loja',
      features: ['loja_vendas'],
      baseline: BASELINE,
      window_hours: 7 * 24,
      window_anchor: 'newest_event',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ window_anchor: 'newest_event' });

    const [evaluation] = await evaluate('vendas_drift_event_time');
    expect(evaluation).toMatchObject({ target: 'loja_vendas', breached: true });
    expect(evaluation!.value).toBeCloseTo(seen.psi!, 9);
    const [alert] = (await s.get('/api/monitoring/alerts?rule=vendas_drift_event_time')).json() as { message: string; state: string }[];
    expect(alert).toMatchObject({ state: 'firing' });
    expect(alert!.message).toMatch(/168 h up to the day of the newest value/);
  });

  it('the same rule on wall-clock windows (the default) finds no recent values and never fires', async () => {
    const saved = await s.post('/api/monitoring/rules', { name: 'vendas_drift_now', type: 'drift', entity: 'loja', features: ['loja_vendas'], baseline: BASELINE, window_hours: 7 * 24 });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(await evaluate('vendas_drift_now')).toEqual([]);
  });

  it('a null-rate rule anchored at the newest event counts the rows of those days', async () => {
    const saved = await s.post('/api/monitoring/rules', { name: 'vendas_nulls', type: 'null_rate', entity: 'loja', features: ['loja_vendas'], window_hours: 24, window_anchor: 'newest_event' });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(await evaluate('vendas_nulls')).toMatchObject([{ target: 'loja_vendas', value: 0, breached: false }]);
  });

  it('refuses an unknown anchor', async () => {
    const res = await s.post('/api/monitoring/rules', { name: 'bad_anchor', type: 'drift', entity: 'loja', features: ['loja_vendas'], baseline: BASELINE, window_anchor: 'yesterday' });
    expect(res.statusCode).toBe(400);
  });
});

describe('latency per route kind', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(undefined, { monitoringIntervalSeconds: 0 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('labels online reads as serving, other API routes as api, and the web UI and unknown paths as ui', async () => {
    await s.post('/api/features/', { name: 'loja_vendas', entity: 'loja', value_type: 'FLOAT' });
    await s.post('/api/online/features', { entity: 'loja', entity_keys: ['l1'], feature_list: ['loja_vendas'] });
    await s.get('/api/features/');
    await s.get('/no-such-page.js');
    const { latency } = (await s.get('/api/monitoring/operations')).json() as OperationsReport;
    const kindOf = (route: string) => latency.find((l) => l.route === route)?.kind;
    expect(kindOf('/api/online/features')).toBe('serving');
    expect(kindOf('/api/features/')).toBe('api');
    expect(latency.filter((l) => l.kind === 'serving').map((l) => l.route)).toEqual(['/api/online/features']);
    expect(latency.some((l) => l.kind === 'ui')).toBe(true);
  });
});
