/**
 * Where an uploaded file goes (entity, feature group) and which columns hold the entity key and
 * event time, with what the preview and the Ingest button need from it.
 */
import type { ColumnChoiceQuery, PreviewQuery } from '@shared/api/client.js';
import type { IngestPreview } from '@shared/api/serving.js';
import { explainInvalidName } from '@shared/domain/names.js';
import { explainName } from '../common/name-rules.js';
import { i18n } from '../i18n/i18n.js';

export interface IngestTarget {
  entity: string;
  featureGroup: string;
  /** Undefined: the service's conventions pick the column. */
  keyColumn?: string | undefined;
  /** Undefined: the conventions; null: values are stamped with the ingestion time. */
  timeColumn?: string | null | undefined;
}

export const EMPTY_TARGET: IngestTarget = { entity: '', featureGroup: '' };

export type IngestPlan = NonNullable<IngestPreview['plan']>;

export interface TargetNameErrors {
  entity?: string;
  featureGroup?: string;
}

/** Name problems of the entity and group, once something is typed. */
export function targetNameErrors(target: IngestTarget): TargetNameErrors {
  const entity = target.entity.trim();
  const group = target.featureGroup.trim();
  const errors: TargetNameErrors = {};
  const entityError = entity === '' ? undefined : explainName('entity', entity);
  const groupError = group === '' ? undefined : explainName('feature_group', group);
  if (entityError) errors.entity = entityError;
  if (groupError) errors.featureGroup = groupError;
  return errors;
}

/** The preview's query: entity and group only once both are valid names, and the column choices made. */
export function previewQuery(target: IngestTarget): PreviewQuery {
  const entity = target.entity.trim();
  const group = target.featureGroup.trim();
  const errors = targetNameErrors(target);
  const query: PreviewQuery = {};
  if (entity !== '' && group !== '' && !errors.entity && !errors.featureGroup) {
    query.entity = entity;
    query.feature_group = group;
  }
  if (target.keyColumn !== undefined) query.key_column = target.keyColumn;
  if (target.timeColumn !== undefined) query.time_column = target.timeColumn;
  return query;
}

export interface ColumnOptions {
  /** Columns the conventions or the service suggest, in their order. */
  suggested: string[];
  others: string[];
}

const KEY_LIKE = /(^|_)(id|key)$/i;

export function keyColumnOptions(preview: IngestPreview): ColumnOptions {
  const names = preview.columns.map((c) => c.name);
  return splitColumns(names, preview.plan?.key_candidates ?? names.filter((n) => KEY_LIKE.test(n)));
}

export function timeColumnOptions(preview: IngestPreview): ColumnOptions {
  const names = preview.columns.map((c) => c.name);
  return splitColumns(names, preview.plan?.time_candidates ?? preview.time_candidates);
}

function splitColumns(names: string[], candidates: readonly string[]): ColumnOptions {
  const suggested = [...new Set(candidates)].filter((c) => names.includes(c));
  return { suggested, others: names.filter((n) => !suggested.includes(n)) };
}

/** The key column shown: the user's choice, else the plan's; '' when unknown. */
export function shownKeyColumn(target: IngestTarget, preview: IngestPreview | undefined): string {
  return target.keyColumn ?? preview?.plan?.entity_key_column ?? '';
}

/** The time column shown: the user's choice, else the plan's (null: ingestion time); undefined when unknown. */
export function shownTimeColumn(target: IngestTarget, preview: IngestPreview | undefined): string | null | undefined {
  if (target.timeColumn !== undefined) return target.timeColumn;
  return preview?.plan ? preview.plan.event_time_column : undefined;
}

/** The columns the job must use: exactly what the preview showed. */
export function confirmedColumns(plan: IngestPlan): ColumnChoiceQuery {
  return { key_column: plan.entity_key_column, time_column: plan.event_time_column };
}

export interface ReadinessInput {
  target: IngestTarget;
  preview: IngestPreview | undefined;
  /** False while the preview shown is for other choices than the current ones. */
  isPreviewCurrent: boolean;
  /** Set when the check of the current choices failed: it is no longer running. */
  hasPreviewFailed?: boolean;
}

/** Why the file cannot be ingested yet, in the order to fix things; empty when it can. */
export function ingestBlockers({ target, preview, isPreviewCurrent, hasPreviewFailed = false }: ReadinessInput): string[] {
  // An unreadable file blocks whatever the destination: it comes first, and ends 'Checking the file…'.
  if (hasPreviewFailed) return [i18n.t('ingest:blockers.checkFailed')];
  const blockers: string[] = [];
  const errors = targetNameErrors(target);
  if (target.entity.trim() === '') blockers.push(i18n.t('ingest:blockers.chooseEntity'));
  else if (errors.entity) blockers.push(i18n.t('ingest:blockers.fixEntity'));
  if (target.featureGroup.trim() === '') blockers.push(i18n.t('ingest:blockers.chooseGroup'));
  else if (errors.featureGroup) blockers.push(i18n.t('ingest:blockers.fixGroup'));
  if (blockers.length > 0) return blockers;
  if (!isPreviewCurrent || !preview) return [i18n.t('ingest:blockers.checking')];
  const problems = preview.problems.length;
  if (problems > 0) blockers.push(i18n.t('ingest:blockers.problems', { count: problems }));
  const invalid = preview.validation?.invalid_rows ?? 0;
  if (invalid > 0) blockers.push(i18n.t('ingest:blockers.invalid', { count: invalid }));
  if (!preview.plan && blockers.length === 0) blockers.push(i18n.t('ingest:blockers.chooseKey'));
  return blockers;
}

export type NameStatus = { kind: 'empty' } | { kind: 'invalid'; message: string } | { kind: 'existing' } | { kind: 'new' } | { kind: 'conflict'; message: string };

/** Whether the typed entity exists or will be created. */
export function entityStatus(target: IngestTarget, existing: readonly string[]): NameStatus {
  const name = target.entity.trim();
  if (name === '') return { kind: 'empty' };
  const invalid = targetNameErrors(target).entity;
  if (invalid) return { kind: 'invalid', message: invalid };
  return existing.includes(name) ? { kind: 'existing' } : { kind: 'new' };
}

/** Whether the typed group exists (for this entity) or will be created. */
export function groupStatus(target: IngestTarget, groups: readonly { name: string; entity: string }[]): NameStatus {
  const name = target.featureGroup.trim();
  if (name === '') return { kind: 'empty' };
  const invalid = targetNameErrors(target).featureGroup;
  if (invalid) return { kind: 'invalid', message: invalid };
  const group = groups.find((g) => g.name === name);
  if (!group) return { kind: 'new' };
  const entity = target.entity.trim();
  if (entity !== '' && group.entity !== entity) {
    return { kind: 'conflict', message: i18n.t('ingest:destination.groupConflict', { name, owner: group.entity, entity }) };
  }
  return { kind: 'existing' };
}

/**
 * The entity a file seems to be about, from its key-like columns: an existing entity whose
 * `<entity>_id` column is present first, else the prefix of the first `<name>_id` column.
 */
export function suggestEntity(columns: readonly string[], entities: readonly string[]): string | undefined {
  const known = entities.find((e) => columns.includes(`${e}_id`));
  if (known) return known;
  for (const column of columns) {
    const prefix = /^([a-z][a-z0-9_]*)_id$/.exec(column)?.[1];
    if (prefix && !explainInvalidName('entity', prefix)) return prefix;
  }
  return undefined;
}
