import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.js';
import { formatBytes, formatCount } from './format-number.js';

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('formatBytes', () => {
  it('picks a readable unit', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(4300)).toBe('4.2 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
  });
});

describe('formatDuration', () => {
  it('reads naturally from milliseconds to hours', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(4_210)).toBe('4.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3600_000 + 7 * 60_000)).toBe('2 h 07 min');
  });

  it('shows a dash for what is not a duration', () => {
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});
