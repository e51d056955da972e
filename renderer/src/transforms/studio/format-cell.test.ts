import { describe, expect, it } from 'vitest';
import { formatCell } from './format-cell.js';

describe('formatCell', () => {
  it('shows numbers as written, with at most 6 decimals', () => {
    expect(formatCell(3)).toBe('3');
    expect(formatCell(12345678)).toBe('12345678');
    expect(formatCell(41.666666666666664)).toBe('41.666667');
    expect(formatCell(7.5)).toBe('7.5');
  });

  it('shows other values readably', () => {
    expect(formatCell(null)).toBe('—');
    expect(formatCell(undefined)).toBe('—');
    expect(formatCell('u1')).toBe('u1');
    expect(formatCell(true)).toBe('true');
    expect(formatCell([1, 2])).toBe('[1,2]');
  });
});
