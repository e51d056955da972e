import { describe, expect, it } from 'vitest';
import { driftRuleDefaults, emptyRuleDraft, ruleFieldOf, toRuleInput, validateRuleDraft, type RuleDraft } from './rule-draft.js';

const BASELINE = { start: '2025-01-01', end: '2025-01-31' };
const draft = (change: Partial<RuleDraft> = {}): RuleDraft => ({
  ...emptyRuleDraft({ entity: 'cliente', featureGroup: '', baseline: BASELINE }),
  name: 'score_drift',
  features: ['cliente_score'],
  ...change,
});

describe('validateRuleDraft', () => {
  it('accepts a complete drift rule', () => {
    expect(validateRuleDraft(draft())).toEqual({});
  });

  it('checks the name like the service, and against existing rules', () => {
    expect(validateRuleDraft(draft({ name: 'Score Drift' })).name).toMatch(/^Rule name 'Score Drift' is not snake_case/);
    expect(validateRuleDraft(draft({ name: '' })).name).toBe('Rule name must not be empty');
    expect(validateRuleDraft(draft(), new Set(['score_drift'])).name).toBe("Rule 'score_drift' already exists; pick another name");
  });

  it('needs an entity and features or a group for drift and null rate, and a baseline for drift', () => {
    expect(validateRuleDraft(draft({ entity: '', features: [] }))).toMatchObject({ entity: expect.stringMatching(/one entity/) });
    expect(validateRuleDraft(draft({ features: [] })).features).toMatch(/feature group/);
    expect(validateRuleDraft(draft({ features: [], featureGroup: 'perfil' }))).toEqual({});
    expect(validateRuleDraft(draft({ baseline: { start: '2025-02-01', end: '2025-01-01' } })).baseline).toBe('The end is before the start');
    // Only drift uses the baseline.
    expect(validateRuleDraft(draft({ type: 'null_rate', baseline: { start: '', end: '' } }))).toEqual({});
  });

  it('checks numbers and the webhook', () => {
    expect(validateRuleDraft(draft({ threshold: '-1' })).threshold).toBe('A number, 0 or more');
    expect(validateRuleDraft(draft({ threshold: 'abc' })).threshold).toBe('A number, 0 or more');
    expect(validateRuleDraft(draft({ type: 'null_rate', threshold: '5' })).threshold).toBe('A null rate is a share between 0 and 1');
    expect(validateRuleDraft(draft({ windowHours: '0' })).windowHours).toBe('A number of hours above 0');
    expect(validateRuleDraft(draft({ webhookUrl: 'ftp://x' })).webhookUrl).toBe('An http:// or https:// URL');
    expect(validateRuleDraft(draft({ webhookUrl: 'not a url' })).webhookUrl).toBe('An http:// or https:// URL');
    expect(validateRuleDraft(draft({ webhookUrl: 'https://hooks.example.com/x' }))).toEqual({});
  });

  it('lets freshness, latency and Kafka rules go without an entity', () => {
    for (const type of ['freshness', 'latency_p99', 'kafka_lag'] as const) expect(validateRuleDraft(draft({ type, entity: '', features: [] }))).toEqual({});
  });
});

describe('toRuleInput', () => {
  it('sends what the type uses, numbers as numbers, empty fields left to the defaults', () => {
    expect(toRuleInput(draft({ threshold: '0.3', windowHours: '12', webhookUrl: ' https://h/x ', route: '/ignored' }))).toEqual({
      name: 'score_drift',
      type: 'drift',
      entity: 'cliente',
      features: ['cliente_score'],
      baseline: BASELINE,
      window_hours: 12,
      threshold: 0.3,
      webhook_url: 'https://h/x',
    });
    const latency = toRuleInput(draft({ type: 'latency_p99', route: '/api/online/features' }));
    expect(JSON.parse(JSON.stringify(latency))).toEqual({ name: 'score_drift', type: 'latency_p99', route: '/api/online/features' });
  });
});

describe('ruleFieldOf', () => {
  it("places the service's problems on the form's fields", () => {
    expect(ruleFieldOf('feature_group')).toBe('featureGroup');
    expect(ruleFieldOf('webhook_url')).toBe('webhookUrl');
    expect(ruleFieldOf('unknown')).toBeUndefined();
    expect(ruleFieldOf(undefined)).toBeUndefined();
  });
});

describe('a drift rule from the drift view', () => {
  it('keeps the view windows: its baseline, and the current days counted back from the newest value', () => {
    const draft = emptyRuleDraft(
      driftRuleDefaults({
        entity: 'loja',
        featureGroup: '',
        features: ['loja_vendas'],
        baseline: { start: '2024-01-01', end: '2024-01-31' },
        current: { start: '2024-03-04', end: '2024-03-10' },
      }),
    );
    expect(toRuleInput({ ...draft, name: 'vendas_drift' })).toEqual({
      name: 'vendas_drift',
      type: 'drift',
      entity: 'loja',
      features: ['loja_vendas'],
      baseline: { start: '2024-01-01', end: '2024-01-31' },
      window_hours: 168,
      window_anchor: 'newest_event',
    });
  });

  it('leaves the anchor out for wall-clock windows (the service default)', () => {
    const draft = emptyRuleDraft({ entity: 'loja', featureGroup: 'g', baseline: { start: '2024-01-01', end: '2024-01-31' } });
    expect(toRuleInput({ ...draft, name: 'r' }).window_anchor).toBeUndefined();
  });
});
