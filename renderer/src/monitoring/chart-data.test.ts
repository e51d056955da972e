import { describe, expect, it } from 'vitest';
import type { OperationsReport } from '@shared/api/monitoring.js';
import { binsChartData, driftSeriesData, freshnessRows, latencyChartData, requestsByKind } from './chart-data.js';

describe('driftSeriesData', () => {
  it("takes one feature's PSI per window, with gaps where a window has no values", () => {
    const point = (start: string, psi: number | null, count: number) => ({
      start: `${start}T00:00:00.000Z`,
      end: `${start}T23:59:59.999Z`,
      features: [
        { feature: 'score', psi, ks: null, js: null, count, drifted: (psi ?? 0) > 0.2 },
        { feature: 'other', psi: 9, ks: null, js: null, count: 5, drifted: true },
      ],
    });
    expect(driftSeriesData([point('2025-03-01', 0.05, 40), point('2025-03-02', null, 0), point('2025-03-03', 0.6, 12)], 'score')).toEqual([
      { day: '2025-03-01', psi: 0.05, count: 40, drifted: false },
      { day: '2025-03-02', psi: null, count: 0, drifted: false },
      { day: '2025-03-03', psi: 0.6, count: 12, drifted: true },
    ]);
  });

  it('leaves a feature the series does not have as gaps', () => {
    expect(driftSeriesData([{ start: '2025-03-01T00:00:00Z', end: '2025-03-01T23:59:59Z', features: [] }], 'score')).toEqual([
      { day: '2025-03-01', psi: null, count: 0, drifted: false },
    ]);
  });
});

describe('binsChartData', () => {
  it('turns shares into percentages', () => {
    expect(binsChartData([{ label: '< 1', lower: null, upper: 1, baseline: 0.1, current: 0.4567 }])).toEqual([{ label: '< 1', baseline: 10, current: 45.7 }]);
  });
});

describe('latencyChartData', () => {
  const route = (route: string, count: number, p99: number | null) => ({ route, method: 'GET', count, p50_ms: p99 && p99 / 4, p95_ms: p99 && p99 / 2, p99_ms: p99 });

  it('keeps measured routes, the busiest first, up to the limit', () => {
    const latency: OperationsReport['latency'] = [route('/a', 3, 10), route('/b', 50, 4), route('/c', 0, null), route('/d', 7, 2)];
    expect(latencyChartData(latency).map((d) => d.route)).toEqual(['GET /b', 'GET /d', 'GET /a']);
    expect(latencyChartData(latency, 1)).toEqual([{ route: 'GET /b', count: 50, p50: 1, p95: 2, p99: 4 }]);
  });
});

describe('freshnessRows', () => {
  const group = (feature_group: string, age: number | null, ttl: number | null, stale: boolean) => ({
    entity: 'cliente',
    feature_group,
    newest_event_time: null,
    age_seconds: age,
    ttl_seconds: ttl,
    stale,
    coverage: null,
  });

  it('puts stale groups first and measures the age against the TTL', () => {
    const rows = freshnessRows([group('a', 30, 60, false), group('b', 7200, 3600, true), group('c', 10, null, false)]);
    expect(rows.map((r) => [r.feature_group, r.ttlUsed])).toEqual([
      ['b', 1],
      ['a', 0.5],
      ['c', undefined],
    ]);
  });
});

describe('latencyChartData by route kind', () => {
  const latency: OperationsReport['latency'] = [
    { route: '/api/online/features', method: 'POST', kind: 'serving', count: 9, p50_ms: 1, p95_ms: 2, p99_ms: 3 },
    { route: '/api/features/', method: 'GET', kind: 'api', count: 4, p50_ms: 1, p95_ms: 2, p99_ms: 3 },
    { route: '/*', method: 'GET', kind: 'ui', count: 40, p50_ms: 1, p95_ms: 2, p99_ms: 3 },
  ];

  it('charts serving apart from the other API routes and leaves the web UI out', () => {
    expect(latencyChartData(latency, 12, 'serving').map((d) => d.route)).toEqual(['POST /api/online/features']);
    expect(latencyChartData(latency, 12, 'api').map((d) => d.route)).toEqual(['GET /api/features/']);
    expect(requestsByKind(latency)).toEqual({ serving: 9, api: 4, ui: 40 });
  });
});
