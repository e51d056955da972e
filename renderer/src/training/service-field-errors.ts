/**
 * A refusal of the service (400 or 422) told in the form's words: each problem it ties to a request
 * field is shown next to that form field, and the page-level message names the form's fields
 * instead of the API's parameters (key_column, time_column, feature_list).
 */
import { FStoreApiError } from '@shared/api/client.js';
import { problemsFromDetails } from '../api/describe-api-error.js';
import { i18n } from '../i18n/i18n.js';
import type { TrainingSetDraft, TrainingSetErrors, TrainingSetField } from './training-set-draft.js';

const FIELD_OF_PARAMETER: Readonly<Record<string, TrainingSetField>> = {
  entity: 'entity',
  feature_list: 'features',
  feature_service: 'features',
  labels: 'labels',
  key_column: 'keyColumn',
  time_column: 'timeColumn',
};

/** The form's own name for a field, as its label reads (in the UI language). */
export function trainingFieldLabel(field: TrainingSetField | 'featureService'): string {
  return i18n.t(`training:fields.${field}`);
}

function isRefusal(error: unknown): error is FStoreApiError {
  return error instanceof FStoreApiError && (error.status === 400 || error.status === 422);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The request field -> form field messages of a refusal; empty for anything else. */
export function trainingFieldErrorsOf(error: unknown): TrainingSetErrors {
  if (!isRefusal(error)) return {};
  const errors: TrainingSetErrors = {};
  const details = record(error.details);
  const fields = strings(details?.['fields']);
  if (fields.length > 0) {
    // A label column problem: `fields` names the request fields, `missing_columns` what the file lacks.
    const missing = strings(details?.['missing_columns']);
    const columns = strings(details?.['columns']);
    // The same refusal names a query's result when the labels come from one.
    const holder = /label query/.test(error.message) ? i18n.t('training:refusal.queryResult') : i18n.t('training:refusal.labelFile');
    fields.forEach((parameter, i) => {
      const field = FIELD_OF_PARAMETER[parameter];
      if (!field) return;
      const label = trainingFieldLabel(field);
      const column = missing[i] ?? (missing.length === 0 ? columns[i] : undefined);
      errors[field] =
        missing.length > 0 && column !== undefined ?
          i18n.t('training:refusal.noColumn', { label, holder, column }) + (columns.length > 0 ? i18n.t('training:refusal.itsColumns', { list: columns.join(', ') }) : '')
        : i18n.t('training:refusal.message', { label, message: inFormWords(error.message) });
    });
    return errors;
  }
  // Schema validation: one problem per request path (body/key_column...).
  for (const problem of problemsFromDetails(error.details)) {
    const field = problem.field === undefined ? undefined : FIELD_OF_PARAMETER[problem.field];
    if (field && errors[field] === undefined) errors[field] = i18n.t('training:refusal.message', { label: trainingFieldLabel(field), message: inFormWords(problem.message) });
  }
  return errors;
}

/** The service's message with the API's parameter names replaced by the form's field names. */
export function inFormWords(message: string): string {
  return message
    .replace(/\bkey_column\b/g, `“${trainingFieldLabel('keyColumn')}”`)
    .replace(/\btime_column\b/g, `“${trainingFieldLabel('timeColumn')}”`)
    .replace(/\bfeature_list\b/g, `“${trainingFieldLabel('features')}”`)
    .replace(/\bfeature_service\b/g, `“${trainingFieldLabel('featureService')}”`);
}

/**
 * The error as the page-level alert shows it: a refusal's message in the form's words, and without
 * the list of request fields (those problems are shown next to the fields themselves).
 */
export function inFormTerms(error: unknown): unknown {
  if (!isRefusal(error)) return error;
  const details = record(error.details);
  const shown = details && 'fields' in details ? Object.fromEntries(Object.entries(details).filter(([key]) => key !== 'fields')) : error.details;
  return new FStoreApiError(error.status, error.code, inFormWords(error.message), shown);
}

/** What the form held when the service refused it: its draft and the uploaded label file. */
export interface RefusedInput {
  draft: TrainingSetDraft;
  uploadId: string | undefined;
}

/** The refusal's field errors that still apply: those of fields not changed since (a changed field is for the service to judge again). */
export function unchangedFieldErrors(errors: TrainingSetErrors, refused: RefusedInput, now: RefusedInput): TrainingSetErrors {
  const isUnchanged: Record<TrainingSetField, boolean> = {
    entity: refused.draft.entity.trim() === now.draft.entity.trim(),
    features: refused.draft.featuresFrom === now.draft.featuresFrom && refused.draft.featureService === now.draft.featureService && refused.draft.features.join('\n') === now.draft.features.join('\n'),
    labels: refused.uploadId === now.uploadId,
    labelSource: refused.draft.labelSource.trim() === now.draft.labelSource.trim(),
    labelQuery: refused.draft.labelQuery === now.draft.labelQuery,
    keyColumn: refused.draft.keyColumn.trim() === now.draft.keyColumn.trim(),
    timeColumn: refused.draft.timeColumn.trim() === now.draft.timeColumn.trim(),
  };
  return Object.fromEntries(Object.entries(errors).filter(([field]) => isUnchanged[field as TrainingSetField]));
}
