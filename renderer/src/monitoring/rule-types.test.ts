import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.js';
import type { AlertRule } from '@shared/api/monitoring.js';
import { describeRuleScope, describeThreshold } from './rule-types.js';

const rule = (change: Partial<AlertRule>): AlertRule => ({
  name: 'r',
  type: 'drift',
  created_at: '2025-01-01T00:00:00Z',
  created_by: 'local',
  last_evaluated_at: null,
  ...change,
});

describe('describeRuleScope', () => {
  it('says what each type of rule watches', () => {
    expect(describeRuleScope(rule({ entity: 'cliente', features: ['cliente_score'], baseline: { start: '2025-01-01', end: '2025-01-31' } }))).toBe(
      'cliente · cliente_score · baseline 1 Jan 2025 – 31 Jan 2025 · last 24 h',
    );
    expect(describeRuleScope(rule({ type: 'null_rate', entity: 'cliente', feature_group: 'perfil', window_hours: 6 }))).toBe('cliente · group perfil · last 6 h');
    expect(describeRuleScope(rule({ type: 'freshness', entity: 'cliente' }))).toBe('every group of cliente');
    expect(describeRuleScope(rule({ type: 'freshness' }))).toBe('every group');
    expect(describeRuleScope(rule({ type: 'latency_p99', route: '/api/online/features' }))).toBe('/api/online/features');
    expect(describeRuleScope(rule({ type: 'kafka_lag' }))).toBe('the Kafka consumer');
  });
});

describe('describeThreshold', () => {
  it("shows the rule's threshold, or the default the service applies", () => {
    expect(describeThreshold({ type: 'drift', threshold: 0.3 })).toBe('0.3');
    expect(describeThreshold({ type: 'freshness' })).toBe("default (the group's TTL)");
    expect(describeThreshold({ type: 'latency_p99' })).toBe('default (50 ms)');
  });
});

describe('in pt-BR', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('words scopes and default thresholds in Portuguese, with Brazilian numbers', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(describeRuleScope(rule({ type: 'null_rate', entity: 'cliente', feature_group: 'perfil', window_hours: 6 }))).toBe('cliente · grupo perfil · últimas 6 h');
    expect(describeRuleScope(rule({ type: 'kafka_lag' }))).toBe('o consumidor Kafka');
    expect(describeThreshold({ type: 'drift', threshold: 0.3 })).toBe('0,3');
    expect(describeThreshold({ type: 'kafka_lag' })).toBe('padrão (10.000)');
  });
});
