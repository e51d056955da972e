import { describe, expect, it } from 'vitest';
import { parseInstant, parseRangeEnd } from '../src/util/time.js';

describe('parseInstant', () => {
  it('reads dates as UTC midnight and offset-less date-times as UTC', () => {
    expect(parseInstant('2025-02-20')).toBe(Date.UTC(2025, 1, 20));
    expect(parseInstant('2025-02-20T15:45:11Z')).toBe(Date.UTC(2025, 1, 20, 15, 45, 11));
    expect(parseInstant('2025-02-20 15:45')).toBe(Date.UTC(2025, 1, 20, 15, 45));
    expect(parseInstant('2025-02-20T15:45:11.123456+02:00')).toBe(Date.UTC(2025, 1, 20, 13, 45, 11, 123));
  });
  it('rejects what is not a date', () => {
    for (const bad of ['yesterday', '2025-13-01', '20250220', '', '2025-02-30T00:00:00Z']) expect(parseInstant(bad)).toBeUndefined();
  });
  it('treats a bare end date as the whole day', () => {
    expect(parseRangeEnd('2025-02-20')).toBe(Date.UTC(2025, 1, 21) - 1);
    expect(parseRangeEnd('2025-02-20T10:00:00Z')).toBe(Date.UTC(2025, 1, 20, 10));
  });
});
