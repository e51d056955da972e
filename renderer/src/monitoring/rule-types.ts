/** What each alert rule type watches, and how a rule reads in a table. */
import type { AlertRule, AlertRuleType } from '@shared/api/monitoring.js';
import type { RuleField } from './rule-draft.js';
import { formatCount } from '../common/format-number.js';
import { i18n } from '../i18n/i18n.js';
import { numberFormat } from '../i18n/locale-format.js';
import { formatStat } from './format-metric.js';
import { describeWindow } from './time-windows.js';

interface RuleTypeInfo {
  label: string;
  watches: string;
  thresholdLabel: string;
  defaultThreshold: string;
  /** Fields besides name, type, threshold and webhook. */
  fields: readonly RuleField[];
}

/** Words in the UI language, read when shown (getters): the language can change at any time. */
function ruleType(type: AlertRuleType, defaultThreshold: () => string, fields: readonly RuleField[]): RuleTypeInfo {
  return {
    get label() {
      return i18n.t(`monitoring:ruleTypes.${type}.label`);
    },
    get watches() {
      return i18n.t(`monitoring:ruleTypes.${type}.watches`);
    },
    get thresholdLabel() {
      return i18n.t(`monitoring:ruleTypes.${type}.thresholdLabel`);
    },
    get defaultThreshold() {
      return defaultThreshold();
    },
    fields,
  };
}

export const RULE_TYPES: Record<AlertRuleType, RuleTypeInfo> = {
  drift: ruleType('drift', () => formatStat(0.2), ['entity', 'featureGroup', 'features', 'baseline', 'windowHours']),
  null_rate: ruleType('null_rate', () => formatStat(0.1), ['entity', 'featureGroup', 'features', 'windowHours']),
  freshness: ruleType('freshness', () => i18n.t('monitoring:ruleTypes.freshness.defaultThreshold'), ['entity', 'featureGroup']),
  latency_p99: ruleType('latency_p99', () => `${formatCount(50)} ms`, ['route']),
  kafka_lag: ruleType('kafka_lag', () => formatCount(10_000), []),
};

/** What a rule watches, in words: "cliente · group perfil · baseline 1 Jan – 31 Jan 2025". */
export function describeRuleScope(rule: AlertRule): string {
  const parts: string[] = [];
  switch (rule.type) {
    case 'drift':
    case 'null_rate':
      parts.push(rule.entity ?? '?');
      if (rule.features && rule.features.length > 0) parts.push(rule.features.join(', '));
      else if (rule.feature_group) parts.push(i18n.t('monitoring:scope.group', { group: rule.feature_group }));
      if (rule.type === 'drift' && rule.baseline) parts.push(i18n.t('monitoring:scope.baseline', { window: describeWindow(rule.baseline) }));
      parts.push(
        i18n.t(rule.window_anchor === 'newest_event' ? 'monitoring:scope.upToNewest' : 'monitoring:scope.last', { hours: formatCount(rule.window_hours ?? 24) }),
      );
      break;
    case 'freshness':
      parts.push(
        rule.feature_group
          ? i18n.t('monitoring:scope.group', { group: rule.feature_group })
          : rule.entity
            ? i18n.t('monitoring:scope.everyGroupOf', { entity: rule.entity })
            : i18n.t('monitoring:scope.everyGroup'),
      );
      break;
    case 'latency_p99':
      parts.push(rule.route ?? i18n.t('monitoring:scope.everyRoute'));
      break;
    case 'kafka_lag':
      parts.push(i18n.t('monitoring:scope.kafka'));
      break;
  }
  return parts.join(' · ');
}

/** The rule's threshold, or the default the service applies. */
export function describeThreshold(rule: Pick<AlertRule, 'type' | 'threshold'>): string {
  return rule.threshold === undefined
    ? i18n.t('monitoring:scope.defaultThreshold', { value: RULE_TYPES[rule.type].defaultThreshold })
    : numberFormat({ maximumFractionDigits: 20, useGrouping: false }).format(rule.threshold);
}
