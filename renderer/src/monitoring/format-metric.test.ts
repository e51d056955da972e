import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.js';
import { formatAlertNumber, formatPValue, formatReportValue, formatScore, formatShare, formatStat } from './format-metric.js';

describe('monitoring number formats', () => {
  it('statistics keep four significant digits and group thousands', () => {
    expect(formatStat(0)).toBe('0');
    expect(formatStat(3.14159)).toBe('3.142');
    expect(formatStat(-0.012345)).toBe('-0.01235');
    expect(formatStat(12345.6)).toBe('12,346');
    expect(formatStat(0.00001234)).toBe('1.23e-5');
    expect(formatStat(null)).toBe('—');
    expect(formatStat(Number.NaN)).toBe('—');
  });

  it('scores, p-values and shares', () => {
    expect(formatScore(0.41234)).toBe('0.412');
    expect(formatScore(null)).toBe('—');
    expect(formatPValue(1e-9)).toBe('< 0.001');
    expect(formatPValue(0.0341)).toBe('0.034');
    expect(formatShare(0.125)).toBe('12.5 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.0004)).toBe('< 0.1 %');
    expect(formatShare(1)).toBe('100 %');
  });

  it('report values', () => {
    expect(formatReportValue('pro')).toBe('pro');
    expect(formatReportValue(true)).toBe('true');
    expect(formatReportValue(null)).toBe('null');
  });

  it('alert values in the unit of their rule', () => {
    expect(formatAlertNumber('drift', 0.41234)).toBe('0.4123');
    expect(formatAlertNumber('null_rate', 0.25)).toBe('25 %');
    expect(formatAlertNumber('freshness', 7200)).toBe('2 h 00 min');
    expect(formatAlertNumber('latency_p99', 61.25)).toBe('61.25 ms');
    expect(formatAlertNumber('kafka_lag', 12000)).toBe('12,000');
    expect(formatAlertNumber('drift', null)).toBe('—');
  });

  describe('in pt-BR', () => {
    afterEach(() => i18n.changeLanguage('en'));

    it('write decimals with a comma and thousands with a dot', async () => {
      await i18n.changeLanguage('pt-BR');
      expect(formatScore(0.41234)).toBe('0,412');
      expect(formatPValue(1e-9)).toBe('< 0,001');
      expect(formatPValue(0.0341)).toBe('0,034');
      expect(formatShare(0.125)).toBe('12,5 %');
      expect(formatShare(0.0004)).toBe('< 0,1 %');
      expect(formatStat(12345.6)).toBe('12.346');
      expect(formatStat(0.00001234)).toBe('1,23e-5');
      expect(formatAlertNumber('latency_p99', 61.25)).toBe('61,25 ms');
    });
  });
});
