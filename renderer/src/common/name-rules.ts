/**
 * The registry's naming rule (shared/domain/names.ts) in the UI language. The rule is the shared
 * one; in English its own text is shown (the same as the service's and the CLI's), in another
 * language the same explanation in that language.
 */
import { explainInvalidName, NAME_MAX_LENGTH, NAME_PATTERN, toSnakeCase, type RegistryKind } from '@shared/domain/names.js';
import { currentLanguage, i18n } from '../i18n/i18n.js';

/** Why `name` is not a valid registry name, in the UI language, or undefined when it is valid. */
export function explainName(kind: RegistryKind, name: string): string | undefined {
  const english = explainInvalidName(kind, name);
  if (english === undefined || currentLanguage() === 'en') return english;
  const label = i18n.t(`nameRules.kinds.${kind}`);
  if (name.length === 0) return i18n.t('nameRules.empty', { kind: label });
  if (name.length > NAME_MAX_LENGTH) return i18n.t('nameRules.tooLong', { kind: label, name, length: name.length, max: NAME_MAX_LENGTH });
  const suggestion = toSnakeCase(name);
  return suggestion && NAME_PATTERN.test(suggestion)
    ? i18n.t('nameRules.notSnakeCaseExample', { kind: label, name, suggestion })
    : i18n.t('nameRules.notSnakeCase', { kind: label, name });
}
