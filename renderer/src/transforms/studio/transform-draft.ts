import type { SampleSpec, TransformPreviewRequest } from '@shared/api/transforms.js';
import { explainName } from '../../common/name-rules.js';
import type { Transform, TransformInput, TransformLanguage } from '@shared/domain/schemas.js';
import { i18n } from '../../i18n/i18n.js';
import { previewRequestData, toRequestInputs, type DraftRequestInput } from './request-inputs.js';
import { STARTER_CODE } from './starter-code.js';

/** What the studio holds while the user writes a transform; each language keeps its own code. */
export interface TransformDraft {
  name: string;
  description: string;
  language: TransformLanguage;
  code: Record<TransformLanguage, string>;
  sources: string[];
  entity: string;
  /** Empty: the service's default, the transform's name. */
  featureGroup: string;
  /** Empty: the entity's join key. */
  entityKeyColumn: string;
  /** Empty: event_time, event_timestamp or timestamp when the output has one. */
  eventTimeColumn: string;
  /** No event time column: values are stamped with the run time. */
  isStampedWithRunTime: boolean;
  isOnDemand: boolean;
  /** On demand: values read from the request (online) or the label rows (training). */
  requestInputs: DraftRequestInput[];
}

export type DraftField = 'name' | 'description' | 'code' | 'sources' | 'entity' | 'featureGroup' | 'entityKeyColumn' | 'eventTimeColumn';

export const NEW_TRANSFORM_DRAFT: TransformDraft = {
  name: '',
  description: '',
  language: 'sql',
  code: { ...STARTER_CODE },
  sources: [],
  entity: '',
  featureGroup: '',
  entityKeyColumn: '',
  eventTimeColumn: '',
  isStampedWithRunTime: false,
  isOnDemand: false,
  requestInputs: [],
};

/** A published transform as a draft, to edit it and publish the next version. */
export function draftFromTransform(transform: Transform): TransformDraft {
  return {
    name: transform.name,
    description: transform.description,
    language: transform.language,
    code: { ...STARTER_CODE, [transform.language]: transform.code },
    sources: [...transform.sources],
    entity: transform.entity,
    featureGroup: transform.feature_group,
    entityKeyColumn: transform.entity_key_column,
    eventTimeColumn: transform.event_time_column ?? '',
    isStampedWithRunTime: transform.event_time_column === null,
    isOnDemand: transform.on_demand,
    requestInputs: (transform.request_inputs ?? []).map((i) => ({ name: i.name, valueType: i.value_type, previewValue: '' })),
  };
}

const optionalName = (kind: 'feature_group', value: string) => (value.trim() === '' ? undefined : explainName(kind, value.trim()));

/** What the registry holds, once loaded, for checks the naming rules alone can't make. */
export interface TransformDraftContext {
  /** Transforms that exist already, when the draft is a new one. */
  existingTransforms?: ReadonlySet<string>;
}

/** Problems that block publishing, by field, with the service's own naming rules. */
export function validateTransformDraft(draft: TransformDraft, context: TransformDraftContext = {}): Partial<Record<DraftField, string>> {
  const errors: Partial<Record<DraftField, string>> = {};
  const name = explainName('transform', draft.name.trim());
  if (name) errors.name = name;
  else if (context.existingTransforms?.has(draft.name.trim())) {
    errors.name = i18n.t('transforms:draft.exists', { name: draft.name.trim() });
  }
  const entity = draft.entity.trim() === '' ? i18n.t('transforms:draft.nameEntity') : explainName('entity', draft.entity.trim());
  if (entity) errors.entity = entity;
  const group = optionalName('feature_group', draft.featureGroup);
  if (group) errors.featureGroup = group;
  if (draft.sources.length === 0) errors.sources = i18n.t('transforms:draft.pickSource');
  else if (draft.sources.length > 16) errors.sources = i18n.t('transforms:draft.tooManySources');
  if (draft.code[draft.language].trim() === '') errors.code = i18n.t('transforms:draft.writeCode');
  if (draft.description.length > 4000) errors.description = i18n.t('transforms:draft.descriptionTooLong');
  return errors;
}

/** Why the preview cannot run yet (it needs code, sources and an entity, not a name). */
export function previewBlockers(draft: TransformDraft): string[] {
  const errors = validateTransformDraft(draft);
  return (['code', 'sources', 'entity'] as const).flatMap((field) => errors[field] ?? []);
}

/** The fields the preview and publishing share: what decides the output. */
function codeFields(draft: TransformDraft) {
  return {
    language: draft.language,
    code: draft.code[draft.language],
    sources: draft.sources,
    entity: draft.entity.trim(),
    ...(draft.entityKeyColumn.trim() ? { entity_key_column: draft.entityKeyColumn.trim() } : {}),
    ...(draft.isStampedWithRunTime
      ? { event_time_column: null }
      : draft.eventTimeColumn.trim()
        ? { event_time_column: draft.eventTimeColumn.trim() }
        : {}),
  };
}

/** The request inputs the draft declares (on-demand TypeScript only). */
function declaredInputs(draft: TransformDraft): DraftRequestInput[] {
  return draft.language === 'typescript' && draft.isOnDemand ? draft.requestInputs : [];
}

export function toPreviewRequest(draft: TransformDraft, sample: SampleSpec, limit = 200): TransformPreviewRequest {
  const inputs = declaredInputs(draft);
  return {
    ...codeFields(draft),
    sample,
    limit,
    ...(inputs.length > 0 ? { request_inputs: toRequestInputs(inputs), request_data: previewRequestData(inputs) } : {}),
  };
}

export function toTransformInput(draft: TransformDraft): TransformInput {
  return {
    name: draft.name.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    ...codeFields(draft),
    ...(draft.featureGroup.trim() ? { feature_group: draft.featureGroup.trim() } : {}),
    ...(draft.language === 'typescript' && draft.isOnDemand ? { on_demand: true } : {}),
    ...(declaredInputs(draft).length > 0 ? { request_inputs: toRequestInputs(declaredInputs(draft)) } : {}),
  };
}
