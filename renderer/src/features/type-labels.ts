import type { FeatureType, ValueType } from '@shared/domain/value-types.js';

/** English labels for feature types, with the seed's meaning of each. */
export const FEATURE_TYPE_LABELS: Record<FeatureType, { label: string; hint: string }> = {
  NUMERIC: { label: 'Numeric', hint: 'Quantities you can compare or average: age, amount, count' },
  CATEGORICAL: { label: 'Categorical', hint: 'A value from a set of labels: country, plan, flag' },
  TEMPORAL: { label: 'Temporal', hint: 'A point in time: signup date, last purchase timestamp' },
};

export const VALUE_TYPE_LABELS: Record<ValueType, string> = {
  INT: 'Integer',
  FLOAT: 'Decimal number',
  STRING: 'Text',
  BOOL: 'True / false',
  DATE: 'Date',
  TIMESTAMP: 'Date and time',
  INT_LIST: 'List of integers',
  FLOAT_LIST: 'List of decimal numbers',
  STRING_LIST: 'List of texts',
  BOOL_LIST: 'List of true / false',
};
