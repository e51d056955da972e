/** What each alert rule type watches, and how a rule reads in a table. */
import type { AlertRule, AlertRuleType } from '@shared/api/monitoring.js';
import type { RuleField } from './rule-draft.js';
import { describeWindow } from './time-windows.js';

interface RuleTypeInfo {
  label: string;
  watches: string;
  thresholdLabel: string;
  defaultThreshold: string;
  /** Fields besides name, type, threshold and webhook. */
  fields: readonly RuleField[];
}

export const RULE_TYPES: Record<AlertRuleType, RuleTypeInfo> = {
  drift: {
    label: 'Drift',
    watches: 'PSI of each feature over the recent window against a baseline window',
    thresholdLabel: 'PSI above',
    defaultThreshold: '0.2',
    fields: ['entity', 'featureGroup', 'features', 'baseline', 'windowHours'],
  },
  null_rate: {
    label: 'Null rate',
    watches: 'Share of rows without a value over the recent window',
    thresholdLabel: 'Null rate above (0 to 1)',
    defaultThreshold: '0.1',
    fields: ['entity', 'featureGroup', 'features', 'windowHours'],
  },
  freshness: {
    label: 'Freshness',
    watches: 'Age of the newest value of each feature group',
    thresholdLabel: 'Age above (seconds)',
    defaultThreshold: "the group's TTL",
    fields: ['entity', 'featureGroup'],
  },
  latency_p99: {
    label: 'Latency p99',
    watches: "99th percentile of the service's request latency, per route",
    thresholdLabel: 'p99 above (ms)',
    defaultThreshold: '50 ms',
    fields: ['route'],
  },
  kafka_lag: {
    label: 'Kafka lag',
    watches: 'Messages the Kafka consumer has not read yet',
    thresholdLabel: 'Lag above (messages)',
    defaultThreshold: '10,000',
    fields: [],
  },
};

/** What a rule watches, in words: "cliente · group perfil · baseline 1 Jan – 31 Jan 2025". */
export function describeRuleScope(rule: AlertRule): string {
  const parts: string[] = [];
  switch (rule.type) {
    case 'drift':
    case 'null_rate':
      parts.push(rule.entity ?? '?');
      if (rule.features && rule.features.length > 0) parts.push(rule.features.join(', '));
      else if (rule.feature_group) parts.push(`group ${rule.feature_group}`);
      if (rule.type === 'drift' && rule.baseline) parts.push(`baseline ${describeWindow(rule.baseline)}`);
      parts.push(rule.window_anchor === 'newest_event' ? `${rule.window_hours ?? 24} h up to the newest value's day` : `last ${rule.window_hours ?? 24} h`);
      break;
    case 'freshness':
      parts.push(rule.feature_group ? `group ${rule.feature_group}` : rule.entity ? `every group of ${rule.entity}` : 'every group');
      break;
    case 'latency_p99':
      parts.push(rule.route ?? 'every route');
      break;
    case 'kafka_lag':
      parts.push('the Kafka consumer');
      break;
  }
  return parts.join(' · ');
}

/** The rule's threshold, or the default the service applies. */
export function describeThreshold(rule: Pick<AlertRule, 'type' | 'threshold'>): string {
  return rule.threshold === undefined ? `default (${RULE_TYPES[rule.type].defaultThreshold})` : String(rule.threshold);
}
