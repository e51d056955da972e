import { describe, expect, it } from 'vitest';
import { roundGrid } from '../src/monitoring/histogram-grid.js';

describe('roundGrid', () => {
  it('covers [min, max] with round widths, max inside the last bin', () => {
    expect(roundGrid(18, 90, true)).toEqual({ lo: 15, hi: 95, bins: 16 });
    const unit = roundGrid(0, 1, false);
    expect(unit).toMatchObject({ lo: 0, bins: 21 });
    expect(unit.hi).toBeCloseTo(1.05, 12);
  });

  it('gives integers whole-number widths', () => {
    expect(roundGrid(1, 3, true)).toEqual({ lo: 1, hi: 4, bins: 3 });
  });

  it('gives a single value one bin', () => {
    expect(roundGrid(7, 7, true)).toEqual({ lo: 7, hi: 8, bins: 1 });
    const g = roundGrid(2.5, 2.5, false);
    expect(g.bins).toBe(1);
    expect(g.lo).toBe(2.5);
    expect(g.hi).toBeGreaterThan(2.5);
  });
});
