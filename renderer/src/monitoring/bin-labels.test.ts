import { describe, expect, it } from 'vitest';
import type { HistogramBin } from '@shared/api/monitoring.js';
import { binLabels } from './bin-labels.js';

const bin = (lower: number | null, upper: number | null, label = 'raw'): HistogramBin => ({ label, lower, upper, baseline: 0.1, current: 0.1 });

describe('binLabels', () => {
  it('rounds edges to a few significant digits, thousands as k', () => {
    expect(binLabels([bin(null, 0.34999999), bin(0.34999999, 1234.5), bin(1234.5, 2_500_000), bin(2_500_000, null)])).toEqual([
      '< 0.35',
      '0.35 – 1.2k',
      '1.2k – 2.5M',
      '≥ 2.5M',
    ]);
  });

  it('adds digits until neighbouring edges differ', () => {
    expect(binLabels([bin(null, 49.31), bin(49.31, 49.34), bin(49.34, null)])).toEqual(['< 49.31', '49.31 – 49.34', '≥ 49.34']);
  });

  it('keeps categories as they are', () => {
    expect(binLabels([bin(null, null, 'pro'), bin(null, null, 'other')])).toEqual(['pro', 'other']);
  });
});
