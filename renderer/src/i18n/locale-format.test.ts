import { afterEach, describe, expect, it } from 'vitest';
import { formatCount } from '../common/format-number.js';
import { formatTime } from '../common/format-time.js';
import { describeWindow } from '../monitoring/time-windows.js';
import { i18n } from './i18n.js';

describe('numbers and dates follow the UI language', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('English: US numbers, day-first dates', () => {
    expect(formatCount(1234567.5)).toBe('1,234,567.5');
    expect(describeWindow({ start: '2025-11-03', end: '2025-11-09' })).toBe('3 Nov 2025 – 9 Nov 2025');
  });

  it('pt-BR: Brazilian numbers and dates everywhere, switched at once', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(formatCount(1234567.5)).toBe('1.234.567,5');
    expect(describeWindow({ start: '2025-11-03', end: '2025-11-03' })).toBe('3 de nov. de 2025');
    expect(formatTime('2025-11-03T10:42:00Z')).toMatch(/^\d de nov\. de 2025, \d{2}:\d{2}$/);
  });
});
