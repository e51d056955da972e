import { explainInvalidName, toSnakeCase } from '@shared/domain/names.js';
import { lintNames, type LintHint } from '@shared/domain/naming-lint.js';
import type { FeatureType, ValueType } from '@shared/domain/value-types.js';
import type { FeatureInput } from '@shared/domain/schemas.js';
import { explainName } from '../common/name-rules.js';
import { i18n } from '../i18n/i18n.js';
import { explainFeatureTypeMismatch, localizeFeatureHints } from './feature-rules.js';

/** What the New Feature form holds while the user types. */
export interface FeatureDraft {
  name: string;
  description: string;
  featureType: FeatureType | '';
  valueType: ValueType | '';
  entity: string;
  featureGroup: string;
  tags: string[];
  source: string;
}

export type DraftField = keyof FeatureDraft;

export const EMPTY_DRAFT: FeatureDraft = {
  name: '',
  description: '',
  featureType: '',
  valueType: '',
  entity: '',
  featureGroup: '',
  tags: [],
  source: '',
};

/** Field order of the form, used to focus the first invalid field. */
export const DRAFT_FIELDS: readonly DraftField[] = [
  'name',
  'description',
  'valueType',
  'featureType',
  'entity',
  'featureGroup',
  'tags',
  'source',
];

/** What the registry already holds, when it has been loaded, for checks the rules alone can't make. */
export interface DraftContext {
  existingFeatures?: ReadonlySet<string>;
  /** Groups of the draft's entity. */
  entityGroups?: readonly string[];
}

/** Blocking problems, by field, using the same rules as the service (shared/domain). */
export function validateDraft(draft: FeatureDraft, context: DraftContext = {}): Partial<Record<DraftField, string>> {
  const errors: Partial<Record<DraftField, string>> = {};
  const name = explainName('feature', draft.name);
  if (name) errors.name = name;
  else if (context.existingFeatures?.has(draft.name)) {
    errors.name = i18n.t('features:validation.exists', { name: draft.name });
  }
  if (draft.description.length > 4000) errors.description = i18n.t('features:validation.descriptionLong');
  if (draft.valueType === '') errors.valueType = i18n.t('features:validation.chooseValueType');
  if (draft.featureType === '') errors.featureType = i18n.t('features:validation.chooseFeatureType');
  else if (draft.valueType !== '') {
    const mismatch = explainFeatureTypeMismatch(draft.featureType, draft.valueType);
    if (mismatch) errors.featureType = mismatch;
  }
  if (draft.entity.trim() === '') errors.entity = i18n.t('features:validation.nameEntity');
  else {
    const entity = explainName('entity', draft.entity.trim());
    if (entity) errors.entity = entity;
  }
  if (draft.featureGroup.trim() !== '') {
    const group = explainName('feature_group', draft.featureGroup.trim());
    if (group) errors.featureGroup = group;
    else if (context.entityGroups && !context.entityGroups.includes(draft.featureGroup.trim())) {
      errors.featureGroup = i18n.t('features:validation.groupMissing', { group: draft.featureGroup.trim() });
    }
  }
  const longTag = draft.tags.find((t) => t.length > 64);
  if (longTag) errors.tags = i18n.t('features:validation.tagLong', { tag: longTag.slice(0, 20) });
  else if (draft.tags.length > 64) errors.tags = i18n.t('features:validation.tooManyTags');
  if (draft.source.length > 2000) errors.source = i18n.t('features:validation.sourceLong');
  return errors;
}

/** A valid snake_case spelling of an invalid name, offered as a one-click fix. */
export function suggestName(name: string): string | undefined {
  if (name === '' || !explainInvalidName('feature', name)) return undefined;
  const suggestion = toSnakeCase(name);
  return suggestion !== name && !explainInvalidName('feature', suggestion) ? suggestion : undefined;
}

/**
 * Naming and documentation hints (shared/domain/naming-lint.ts) for the draft, once its name is
 * valid; they recommend, they never block. The entity prefix is checked once the entity is valid too.
 */
export function draftNamingHints(draft: FeatureDraft): LintHint[] {
  if (explainInvalidName('feature', draft.name)) return [];
  const entity = draft.entity.trim();
  const isEntityValid = entity !== '' && !explainInvalidName('entity', entity);
  const hints = lintNames({ kind: 'feature', name: draft.name, entity: isEntityValid ? entity : undefined, description: draft.description, tags: draft.tags });
  return localizeFeatureHints(hints, draft.name, isEntityValid ? entity : undefined);
}

/** The POST body as far as the draft goes (also shown as a live preview of the request). */
export function toFeatureInput(draft: FeatureDraft): Partial<FeatureInput> {
  return {
    name: draft.name,
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    ...(draft.featureType ? { feature_type: draft.featureType } : {}),
    ...(draft.valueType ? { value_type: draft.valueType } : {}),
    entity: draft.entity.trim(),
    ...(draft.featureGroup.trim() ? { feature_group: draft.featureGroup.trim() } : {}),
    ...(draft.tags.length ? { tags: draft.tags } : {}),
    ...(draft.source.trim() ? { source: draft.source.trim() } : {}),
  };
}

/** The POST body, or undefined while the draft still lacks a value type. */
export function completeFeatureInput(draft: FeatureDraft): FeatureInput | undefined {
  const { value_type: valueType, ...rest } = toFeatureInput(draft);
  return valueType ? { ...rest, name: draft.name, entity: draft.entity.trim(), value_type: valueType } : undefined;
}

/** Errors the service reports without a field path, placed next to the field they concern. */
export const ERROR_CODE_TO_DRAFT: Partial<Record<string, DraftField>> = {
  FSTORE_ALREADY_EXISTS: 'name',
  FSTORE_INVALID_NAME: 'name',
  FSTORE_FEATURE_GROUP_NOT_FOUND: 'featureGroup',
  FSTORE_ENTITY_NOT_FOUND: 'entity',
};

/** Service-side names of the draft fields, to place server errors next to the right input. */
export const SERVER_FIELD_TO_DRAFT: Record<string, DraftField> = {
  name: 'name',
  description: 'description',
  feature_type: 'featureType',
  value_type: 'valueType',
  entity: 'entity',
  feature_group: 'featureGroup',
  tags: 'tags',
  source: 'source',
};
