/**
 * The feature checks and hints of shared/domain in the UI language: the rules are the shared ones;
 * in English their own text is shown (as the service and `fstore plan` word it), in another
 * language the same advice in that language.
 */
import type { LintHint } from '@shared/domain/naming-lint.js';
import { explainTypeMismatch, type FeatureType, type ValueType } from '@shared/domain/value-types.js';
import { currentLanguage, i18n } from '../i18n/i18n.js';

/** Why a value type does not fit a feature type, in the UI language, or undefined. */
export function explainFeatureTypeMismatch(featureType: FeatureType, valueType: ValueType): string | undefined {
  const english = explainTypeMismatch(featureType, valueType);
  if (english === undefined || currentLanguage() === 'en') return english;
  return featureType === 'TEMPORAL' ? i18n.t('features:rules.temporalMismatch', { valueType }) : i18n.t('features:rules.numericMismatch', { valueType });
}

/** A feature's naming hints (lintNames of `name`, of `entity` when known) with their messages in the UI language. */
export function localizeFeatureHints(hints: readonly LintHint[], name: string, entity: string | undefined): LintHint[] {
  if (currentLanguage() === 'en') return [...hints];
  return hints.map((hint) => ({ ...hint, message: localizedMessage(hint, name, entity) }));
}

function localizedMessage(hint: LintHint, name: string, entity: string | undefined): string {
  switch (hint.rule) {
    case 'entity_prefix':
      return i18n.t('features:rules.entityPrefix', { name, suggestion: `${entity ?? ''}_${name}` });
    case 'description':
      return i18n.t('features:rules.noDescription', { name });
    case 'tags':
      return i18n.t('features:rules.noTags', { name });
    case 'descriptive_name': {
      // As shared/domain/naming-lint.ts: the name without its entity prefix is what must say something.
      const core = entity && name.startsWith(`${entity}_`) ? name.slice(entity.length + 1) : name;
      return core.length < 3 ? i18n.t('features:rules.tooShort', { name, core }) : i18n.t('features:rules.vague', { name, core });
    }
    default:
      return hint.message;
  }
}
