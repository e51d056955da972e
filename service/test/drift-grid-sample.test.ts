import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '@shared/api/monitoring.js';
import type { OfflineBatch, QuantileQuery } from '../src/storage/offline-store.js';
import { startTestService, type TestService } from './helpers.js';
import { seededNormals as normals } from './seeded-normals.js';

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();


function batch(feature: string, values: number[], from: number, to: number): OfflineBatch {
  return {
    entity: 'cliente',
    featureGroup: 'scores',
    entityKeys: values.map((_, i) => `c${i}`),
    eventTimes: values.map((_, i) => Math.floor(from + ((to - from) * i) / values.length)),
    columns: [{ feature, valueType: 'FLOAT', values: values.map((v) => String(Math.round(v * 1000) / 1000)) }],
  };
}

/**
 * Drift places its fine grid at the baseline's 0.1% / 99.9% quantiles. On a large baseline these
 * come from a 10% block sample (the full read costs as much as the histogram); a feature whose
 * sample is thin is read in full. The counts and the verdicts stay exact either way.
 */
describe('drift grid from a sampled baseline', () => {
  let s: TestService;
  const calls: { features: string[]; sample: number | undefined }[] = [];
  const BIG = 400_000;

  beforeAll(async () => {
    s = await startTestService(undefined, { monitoringIntervalSeconds: 0 });
    expect((await s.post('/api/feature-groups/', { name: 'scores', entity: 'cliente' })).statusCode).toBe(201);
    for (const name of ['big_score', 'small_score']) {
      expect((await s.post('/api/features/', { name, entity: 'cliente', value_type: 'FLOAT', feature_group: 'scores' })).statusCode).toBe(201);
    }
    const offline = s.ctx.stores.offline;
    await offline.write(batch('big_score', normals(1, BIG, 0), NOW - 30 * DAY, NOW - 20 * DAY), NOW);
    await offline.write(batch('big_score', normals(2, 20_000, 0.5), NOW - DAY, NOW - 60_000), NOW);
    await offline.write(batch('small_score', normals(3, 3_000, 0), NOW - 30 * DAY, NOW - 20 * DAY), NOW);
    await offline.write(batch('small_score', normals(4, 1_000, 0), NOW - DAY, NOW - 60_000), NOW);
    const quantiles = offline.quantiles.bind(offline);
    offline.quantiles = (query: QuantileQuery) => {
      calls.push({ features: [...query.features], sample: query.sample });
      return quantiles(query);
    };
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('samples the large baseline, reads the thin one in full, and keeps counts and verdicts exact', async () => {
    const res = await s.post('/api/monitoring/drift', {
      entity: 'cliente',
      features: ['big_score', 'small_score'],
      baseline: { start: iso(NOW - 30 * DAY), end: iso(NOW - 20 * DAY) },
      current: { start: iso(NOW - DAY), end: iso(NOW) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(calls).toEqual([
      { features: ['big_score', 'small_score'], sample: 0.1 },
      { features: ['small_score'], sample: undefined },
    ]);
    const byName = Object.fromEntries((res.json() as DriftReport).features.map((f) => [f.feature, f]));
    expect(byName['big_score']).toMatchObject({ kind: 'numeric', baseline_count: BIG, current_count: 20_000, drifted: true });
    expect(byName['big_score']!.psi).toBeGreaterThan(0.1);
    expect(byName['small_score']).toMatchObject({ kind: 'numeric', baseline_count: 3_000, current_count: 1_000, drifted: false });
  });

  it('finds no drift between two parts of the same large distribution', async () => {
    const res = await s.post('/api/monitoring/drift', {
      entity: 'cliente',
      features: ['big_score'],
      baseline: { start: iso(NOW - 30 * DAY), end: iso(NOW - 25 * DAY) },
      current: { start: iso(NOW - 25 * DAY + 1), end: iso(NOW - 20 * DAY) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [big] = (res.json() as DriftReport).features;
    expect(big).toMatchObject({ kind: 'numeric', drifted: false });
    expect(big!.psi).toBeLessThan(0.01);
  });
});
