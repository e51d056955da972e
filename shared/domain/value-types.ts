/** Value and feature types of the domain model, shared by validation, storage and the UI. */
export const SCALAR_VALUE_TYPES = ['INT', 'FLOAT', 'STRING', 'BOOL', 'DATE', 'TIMESTAMP'] as const;
export const LIST_VALUE_TYPES = ['INT_LIST', 'FLOAT_LIST', 'STRING_LIST', 'BOOL_LIST'] as const;
export const VALUE_TYPES = [...SCALAR_VALUE_TYPES, ...LIST_VALUE_TYPES] as const;
export type ScalarValueType = (typeof SCALAR_VALUE_TYPES)[number];
export type ListValueType = (typeof LIST_VALUE_TYPES)[number];
export type ValueType = (typeof VALUE_TYPES)[number];

export const FEATURE_TYPES = ['NUMERIC', 'CATEGORICAL', 'TEMPORAL'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

/** A feature value as it travels in JSON: dates and timestamps are ISO-8601 strings. */
export type FeatureValue = number | string | boolean | number[] | string[] | boolean[] | null;

export function isListValueType(valueType: ValueType): valueType is ListValueType {
  return (LIST_VALUE_TYPES as readonly string[]).includes(valueType);
}

export function elementTypeOf(valueType: ListValueType): ScalarValueType {
  return valueType.slice(0, -'_LIST'.length) as ScalarValueType;
}

/** The feature type a value type suggests when the user does not say. */
export function defaultFeatureType(valueType: ValueType): FeatureType {
  switch (valueType) {
    case 'INT':
    case 'FLOAT':
      return 'NUMERIC';
    case 'DATE':
    case 'TIMESTAMP':
      return 'TEMPORAL';
    case 'STRING':
    case 'BOOL':
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return 'CATEGORICAL';
  }
}

/** Why a value type does not fit a feature type, or undefined when the pair is coherent. */
export function explainTypeMismatch(featureType: FeatureType, valueType: ValueType): string | undefined {
  if (featureType === 'NUMERIC' && valueType !== 'INT' && valueType !== 'FLOAT') {
    return `feature_type NUMERIC needs value_type INT or FLOAT, not ${valueType}`;
  }
  if (featureType === 'TEMPORAL' && valueType !== 'DATE' && valueType !== 'TIMESTAMP') {
    return `feature_type TEMPORAL needs value_type DATE or TIMESTAMP, not ${valueType}`;
  }
  return undefined;
}
