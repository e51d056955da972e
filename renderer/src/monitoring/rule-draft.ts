/** The New rule form: what it holds, which fields each rule type uses, the checks the service makes too. */
import type { AlertRuleInput, AlertRuleType, WindowAnchor } from '@shared/api/monitoring.js';
import { NAME_MAX_LENGTH, NAME_PATTERN, toSnakeCase } from '@shared/domain/names.js';
import { i18n } from '../i18n/i18n.js';
import { RULE_TYPES } from './rule-types.js';
import { explainWindowProblem, windowDays, type DateWindow } from './time-windows.js';

export interface RuleDraft {
  name: string;
  type: AlertRuleType;
  entity: string;
  featureGroup: string;
  features: string[];
  baseline: DateWindow;
  /** Numbers as typed; empty means the service's default. */
  windowHours: string;
  /** Where the recent window ends: now, or the day of the newest value (historical data). */
  windowAnchor: WindowAnchor;
  threshold: string;
  route: string;
  webhookUrl: string;
}

export type RuleField = keyof RuleDraft;
export type RuleErrors = Partial<Record<RuleField, string>>;

export const usesField = (type: AlertRuleType, field: RuleField) => RULE_TYPES[type].fields.includes(field);

/** What the page fills in: its selection, and for a rule made from the drift view, the view's windows. */
export type RuleDraftDefaults = { entity: string; featureGroup: string; baseline: DateWindow } & Partial<Omit<RuleDraft, 'entity' | 'featureGroup' | 'baseline'>>;

export function emptyRuleDraft(defaults: RuleDraftDefaults): RuleDraft {
  return { name: '', type: 'drift', features: [], windowHours: '', windowAnchor: 'now', threshold: '', route: '', webhookUrl: '', ...defaults };
}

/**
 * A drift rule that evaluates what the drift view shows: its features, its baseline, and its
 * current window as the days up to the newest value (the view's default current window ends there).
 */
export function driftRuleDefaults(view: { entity: string; featureGroup: string; features: string[]; baseline: DateWindow; current: DateWindow }): RuleDraftDefaults {
  return { ...view, type: 'drift', windowHours: String(windowDays(view.current) * 24), windowAnchor: 'newest_event' };
}

/** The service's naming rule for a rule name (as for features), worded in the UI language. */
function explainInvalidRuleName(name: string): string | undefined {
  if (name.length === 0) return i18n.t('monitoring:ruleDraft.nameEmpty');
  if (name.length > NAME_MAX_LENGTH) return i18n.t('monitoring:ruleDraft.nameTooLong', { name, length: name.length, max: NAME_MAX_LENGTH });
  if (NAME_PATTERN.test(name)) return undefined;
  const suggestion = toSnakeCase(name);
  const hint = suggestion && NAME_PATTERN.test(suggestion) ? i18n.t('monitoring:ruleDraft.nameExample', { suggestion }) : '';
  return i18n.t('monitoring:ruleDraft.nameNotSnakeCase', { name, hint });
}

const parseNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** Blocking problems by field, with the service's own rules (so most are caught before saving). */
export function validateRuleDraft(draft: RuleDraft, existingRules: ReadonlySet<string> = new Set()): RuleErrors {
  const errors: RuleErrors = {};
  const name = draft.name.trim();
  const invalidName = explainInvalidRuleName(name);
  if (invalidName) errors.name = invalidName;
  else if (existingRules.has(name)) errors.name = i18n.t('monitoring:ruleDraft.exists', { name });

  const uses = (field: RuleField) => usesField(draft.type, field);
  const needsScope = draft.type === 'drift' || draft.type === 'null_rate';
  if (needsScope && draft.entity.trim() === '') errors.entity = i18n.t('monitoring:ruleDraft.needsEntity', { type: RULE_TYPES[draft.type].label.toLowerCase() });
  if (needsScope && draft.entity.trim() !== '' && draft.featureGroup === '' && draft.features.length === 0) {
    errors.features = i18n.t('monitoring:ruleDraft.needsFeatures');
  }
  if (uses('baseline')) {
    const problem = explainWindowProblem(draft.baseline);
    if (problem) errors.baseline = problem;
  }
  const windowHours = parseNumber(draft.windowHours);
  if (uses('windowHours') && windowHours !== undefined && !(windowHours > 0)) errors.windowHours = i18n.t('monitoring:ruleDraft.hours');
  const threshold = parseNumber(draft.threshold);
  if (threshold !== undefined && !(threshold >= 0)) errors.threshold = i18n.t('monitoring:ruleDraft.threshold');
  else if (draft.type === 'null_rate' && threshold !== undefined && threshold > 1) errors.threshold = i18n.t('monitoring:ruleDraft.nullRate');
  const webhook = draft.webhookUrl.trim();
  if (webhook !== '' && !/^https?:$/.test(safeProtocol(webhook))) errors.webhookUrl = i18n.t('monitoring:ruleDraft.webhook');
  return errors;
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** The request body: the fields the type uses, empty ones left to the service's defaults. */
export function toRuleInput(draft: RuleDraft): AlertRuleInput {
  const uses = (field: RuleField) => usesField(draft.type, field);
  const text = (field: 'entity' | 'featureGroup' | 'route', value: string) => (uses(field) && value.trim() !== '' ? value.trim() : undefined);
  const windowHours = uses('windowHours') ? parseNumber(draft.windowHours) : undefined;
  const threshold = parseNumber(draft.threshold);
  // Undefined fields are left out of the JSON body, so the service applies its defaults.
  return {
    name: draft.name.trim(),
    type: draft.type,
    entity: text('entity', draft.entity),
    feature_group: text('featureGroup', draft.featureGroup),
    features: uses('features') && draft.features.length > 0 ? draft.features : undefined,
    baseline: uses('baseline') ? draft.baseline : undefined,
    window_hours: windowHours,
    window_anchor: uses('windowHours') && draft.windowAnchor !== 'now' ? draft.windowAnchor : undefined,
    threshold,
    route: text('route', draft.route),
    webhook_url: draft.webhookUrl.trim() === '' ? undefined : draft.webhookUrl.trim(),
  };
}

const SERVER_FIELDS: Record<string, RuleField> = {
  name: 'name',
  type: 'type',
  entity: 'entity',
  feature_group: 'featureGroup',
  features: 'features',
  baseline: 'baseline',
  window_hours: 'windowHours',
  window_anchor: 'windowAnchor',
  threshold: 'threshold',
  route: 'route',
  webhook_url: 'webhookUrl',
};

/** The form field a problem reported by the service is about (`/feature_group` -> featureGroup). */
export function ruleFieldOf(serverField: string | undefined): RuleField | undefined {
  return serverField === undefined ? undefined : SERVER_FIELDS[serverField];
}
