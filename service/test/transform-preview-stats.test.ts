import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransformPreview } from '@shared/api/transforms.js';
import { startTestService, type TestService } from './helpers.js';

/** Amounts 1..100 (one per row), a constant, a text column and a column that is always null. */
const ROWS = ['user_id,amount,constant,plan,missing', ...Array.from({ length: 100 }, (_, i) => `u${i},${i + 1},7,${i % 2 ? 'pro' : 'free'},`), ''].join('\n');

describe('transform preview statistics', () => {
  let s: TestService;
  let stats: TransformPreview['stats'];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-preview-stats-'));
    writeFileSync(join(dir, 'amounts.csv'), ROWS);
    s = await startTestService(undefined, { fileSourceDirs: [dir] });
    expect((await s.post('/api/data-sources/', { name: 'amounts', type: 'file', path: join(dir, 'amounts.csv') })).statusCode).toBe(201);
    const res = await s.post('/api/transforms/preview', {
      language: 'sql',
      code: 'SELECT user_id, amount, constant, plan, CAST(missing AS DOUBLE) AS missing FROM amounts',
      sources: ['amounts'],
      entity: 'user',
      sample: { mode: 'all' },
    });
    expect(res.statusCode, res.body).toBe(200);
    stats = (res.json() as TransformPreview).stats;
  });
  afterAll(() => s.close());

  const of = (column: string) => stats.find((c) => c.column === column)!;

  it('gives numeric columns percentiles by linear interpolation', () => {
    // 1..100: the p-th percentile is 1 + 99 p.
    expect(of('amount').quantiles).toEqual({ p5: 5.95, p25: 25.75, p50: 50.5, p75: 75.25, p95: 95.05 });
  });

  it('gives numeric columns ten equal-width bins from min to max that hold every value', () => {
    const histogram = of('amount').histogram!;
    expect(histogram).toHaveLength(10);
    expect(histogram[0]).toMatchObject({ lower: 1, count: 10 });
    expect(histogram[0]!.upper).toBeCloseTo(10.9, 9);
    expect(histogram[9]).toMatchObject({ upper: 100, count: 10 });
    expect(histogram.map((b) => b.count)).toEqual(new Array(10).fill(10));
  });

  it('puts a constant column in one bin, and leaves text and all-null columns without a distribution', () => {
    expect(of('constant').histogram).toEqual([{ lower: 7, upper: 7, count: 100 }]);
    expect(of('constant').quantiles).toEqual({ p5: 7, p25: 7, p50: 7, p75: 7, p95: 7 });
    expect(of('plan').histogram).toBeUndefined();
    expect(of('plan').quantiles).toBeUndefined();
    expect(of('missing')).toMatchObject({ count: 0, nulls: 100 });
    expect(of('missing').histogram).toBeUndefined();
  });
});
