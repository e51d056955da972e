import { describe, expect, it } from 'vitest';
import {
  addDays,
  dataSpan,
  defaultWindows,
  describeWindow,
  explainWindowProblem,
  isDate,
  windowsOverlap,
  parseWindowParam,
  seriesStepHours,
  suggestWindows,
  windowDays,
} from './time-windows.js';

describe('default windows', () => {
  it('compare the last 7 days (today included) with the 30 days before them', () => {
    const { baseline, current } = defaultWindows('2025-03-10');
    expect(current).toEqual({ start: '2025-03-04', end: '2025-03-10' });
    expect(baseline).toEqual({ start: '2025-02-02', end: '2025-03-03' });
    expect(windowDays(current)).toBe(7);
    expect(windowDays(baseline)).toBe(30);
  });

  it('cross month and year ends in UTC', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(defaultWindows('2025-01-03').baseline).toEqual({ start: '2024-11-28', end: '2024-12-27' });
  });
});

describe('window parameters', () => {
  it('read start..end dates and refuse anything else', () => {
    expect(parseWindowParam('2025-01-01..2025-01-30')).toEqual({ start: '2025-01-01', end: '2025-01-30' });
    expect(parseWindowParam(null)).toBeUndefined();
    expect(parseWindowParam('2025-01-01')).toBeUndefined();
    expect(parseWindowParam('2025-02-30..2025-03-01')).toBeUndefined();
    expect(parseWindowParam('2025-01-01..2025-01-02..2025-01-03')).toBeUndefined();
    expect(parseWindowParam('yesterday..today')).toBeUndefined();
  });

  it('explain a window that cannot be used', () => {
    expect(explainWindowProblem({ start: '2025-01-05', end: '2025-01-01' })).toBe('The end is before the start');
    expect(explainWindowProblem({ start: '', end: '2025-01-01' })).toBe('Pick a start and an end date');
    expect(explainWindowProblem({ start: '2025-01-01', end: '2025-01-01' })).toBeUndefined();
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2025-02-29')).toBe(false);
  });

  it('read as dates', () => {
    expect(describeWindow({ start: '2025-11-03', end: '2025-11-09' })).toBe('3 Nov 2025 – 9 Nov 2025');
    expect(describeWindow({ start: '2025-11-03', end: '2025-11-03' })).toBe('3 Nov 2025');
  });
});

describe('windowsOverlap', () => {
  it('is true when the windows share a day, ends included', () => {
    const january = { start: '2025-01-01', end: '2025-01-31' };
    expect(windowsOverlap(january, { start: '2025-01-31', end: '2025-02-06' })).toBe(true);
    expect(windowsOverlap({ start: '2025-01-10', end: '2025-01-12' }, january)).toBe(true);
    expect(windowsOverlap(january, { start: '2025-02-01', end: '2025-02-07' })).toBe(false);
  });
});

describe('seriesStepHours', () => {
  it('is a day until the window would need more than 400 points', () => {
    expect(seriesStepHours({ start: '2025-01-01', end: '2025-01-07' })).toBe(24);
    expect(seriesStepHours({ start: '2025-01-01', end: addDays('2025-01-01', 399) })).toBe(24);
    expect(seriesStepHours({ start: '2025-01-01', end: addDays('2025-01-01', 400) })).toBe(48);
    expect(seriesStepHours({ start: '2020-01-01', end: '2024-12-31' })).toBe(24 * 5);
  });
});

describe('suggested windows', () => {
  it('find the first and last day with values', () => {
    const daily = [
      { day: '2025-02-10', count: 3 },
      { day: '2025-01-15', count: 0 },
      { day: '2025-01-20', count: 8 },
    ];
    expect(dataSpan(daily)).toEqual({ start: '2025-01-20', end: '2025-02-10' });
    expect(dataSpan([{ day: '2025-01-01', count: 0 }])).toBeUndefined();
  });

  it('take the usual shape at the end of long data, clipped to where the data starts', () => {
    expect(suggestWindows({ start: '2024-01-01', end: '2025-03-10' })).toEqual(defaultWindows('2025-03-10'));
    expect(suggestWindows({ start: '2025-02-20', end: '2025-03-10' })).toEqual({
      baseline: { start: '2025-02-20', end: '2025-03-03' },
      current: { start: '2025-03-04', end: '2025-03-10' },
    });
  });

  it('split short data in halves, and give up on a single day', () => {
    expect(suggestWindows({ start: '2025-01-01', end: '2025-01-04' })).toEqual({
      baseline: { start: '2025-01-01', end: '2025-01-02' },
      current: { start: '2025-01-03', end: '2025-01-04' },
    });
    expect(suggestWindows({ start: '2025-01-01', end: '2025-01-01' })).toBeUndefined();
  });
});
