import type { FeatureType, ValueType } from '@shared/domain/value-types.js';
import { i18n } from '../i18n/i18n.js';

/** A feature type as people read it, in the UI language ("Numeric"). */
export function featureTypeLabel(type: FeatureType): string {
  return i18n.t(`features:featureTypes.${type}.label`);
}

/** What a feature type is for, with examples (the seed's meaning of each). */
export function featureTypeHint(type: FeatureType): string {
  return i18n.t(`features:featureTypes.${type}.hint`);
}

/** A value type as people read it, in the UI language ("Decimal number"). */
export function valueTypeLabel(type: ValueType): string {
  return i18n.t(`features:valueTypes.${type}`);
}
