/**
 * Validation rules of a feature, checked on every ingestion path: batch files (as SQL over the
 * staged table, see the service's ingest code) and streams (with `ruleViolations` below). `reject`
 * refuses the batch or record; `warn` writes it and reports the rows that broke a rule.
 */
import { Type, type Static } from 'typebox';
import type { ValueType } from './value-types.js';

export const ValidationRules = Type.Object(
  {
    min: Type.Optional(Type.Number({ description: 'Numeric features: smallest allowed value' })),
    max: Type.Optional(Type.Number({ description: 'Numeric features: largest allowed value' })),
    allowed_values: Type.Optional(
      // One multi-type schema, not a union: the validator's type coercion would turn 1 into "1".
      Type.Array(Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] }), { minItems: 1, maxItems: 1000, description: 'The only values allowed' }),
    ),
    not_null: Type.Optional(Type.Boolean({ description: 'Every row of a batch must have a value' })),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'STRING features: a regular expression the whole value must match' })),
    action: Type.Unsafe<'warn' | 'reject'>({ type: 'string', enum: ['warn', 'reject'], description: 'reject refuses the batch; warn writes it and reports the violations' }),
  },
  { additionalProperties: false },
);
export type ValidationRules = Static<typeof ValidationRules>;

export type RuleName = 'min' | 'max' | 'allowed_values' | 'not_null' | 'pattern';

/** Why `rules` cannot apply to a feature of `valueType`, or undefined when they can. */
export function explainRulesProblem(rules: ValidationRules, valueType: ValueType): string | undefined {
  const numeric = valueType === 'INT' || valueType === 'FLOAT';
  if ((rules.min !== undefined || rules.max !== undefined) && !numeric) return `min and max apply to INT and FLOAT features, not ${valueType}`;
  if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) return `min (${rules.min}) is greater than max (${rules.max})`;
  if (rules.pattern !== undefined) {
    if (valueType !== 'STRING') return `pattern applies to STRING features, not ${valueType}`;
    try {
      new RegExp(rules.pattern);
    } catch (err) {
      return `pattern is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (rules.allowed_values) {
    const want = numeric ? 'number' : valueType === 'BOOL' ? 'boolean' : valueType === 'STRING' ? 'string' : undefined;
    if (!want) return `allowed_values apply to INT, FLOAT, STRING and BOOL features, not ${valueType}`;
    const wrong = rules.allowed_values.find((v) => typeof v !== want);
    if (wrong !== undefined) return `allowed_values of a ${valueType} feature must be ${want}s; ${JSON.stringify(wrong)} is not`;
  }
  return undefined;
}

/** The rules one value breaks (a stream record's value; null means the record has none). */
export function ruleViolations(value: unknown, rules: ValidationRules): RuleName[] {
  const broken: RuleName[] = [];
  if (value === null || value === undefined) return rules.not_null ? ['not_null'] : [];
  if (typeof value === 'number') {
    if (rules.min !== undefined && value < rules.min) broken.push('min');
    if (rules.max !== undefined && value > rules.max) broken.push('max');
  }
  if (rules.allowed_values && !rules.allowed_values.some((v) => v === value)) broken.push('allowed_values');
  if (rules.pattern !== undefined && typeof value === 'string' && !new RegExp(`^(?:${rules.pattern})$`).test(value)) broken.push('pattern');
  return broken;
}

export function describeRule(rule: RuleName, rules: ValidationRules): string {
  switch (rule) {
    case 'min':
      return `below the minimum ${rules.min}`;
    case 'max':
      return `above the maximum ${rules.max}`;
    case 'allowed_values':
      return `not one of the allowed values ${JSON.stringify(rules.allowed_values)}`;
    case 'not_null':
      return 'missing, but the feature must not be null';
    case 'pattern':
      return `does not match the pattern /${rules.pattern}/`;
  }
}
