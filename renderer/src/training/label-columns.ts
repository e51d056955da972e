/**
 * The label file's columns, and which of them hold the entity key and the label time: found by the
 * same conventions the ingest page uses for key and time candidates, so a file that ingests with
 * its key and time found builds a training set the same way.
 */
import { i18n } from '../i18n/i18n.js';
import type { TrainingSetDraft, TrainingSetErrors } from './training-set-draft.js';

export interface LabelColumns {
  names: readonly string[];
  /** Columns whose name or detected type says time (the ingest preview's time candidates). */
  timeCandidates: readonly string[];
}

/** The entity key column: entity_key, <entity>_id or id, else the first '..._id' or '..._key' column. */
export function detectKeyColumn(columns: LabelColumns, entity: string): string | undefined {
  const conventional = ['entity_key', ...(entity.trim() === '' ? [] : [`${entity.trim()}_id`]), 'id'];
  return conventional.find((c) => columns.names.includes(c)) ?? columns.names.find((c) => /(^|_)(id|key)$/i.test(c));
}

/** The label time column: event_timestamp or timestamp, else the first time-like column that is not the key. */
export function detectTimeColumn(columns: LabelColumns, keyColumn: string | undefined): string | undefined {
  const conventional = ['event_timestamp', 'timestamp'].find((c) => columns.names.includes(c));
  return conventional ?? columns.timeCandidates.find((c) => c !== keyColumn && columns.names.includes(c));
}

/** The chosen key and time columns checked against the file's own, named by the form's fields. */
export function labelColumnErrors(draft: Pick<TrainingSetDraft, 'keyColumn' | 'timeColumn'>, columns: LabelColumns): TrainingSetErrors {
  const errors: TrainingSetErrors = {};
  const list = columns.names.join(', ');
  const key = draft.keyColumn.trim();
  const time = draft.timeColumn.trim();
  if (key === '') errors.keyColumn = i18n.t('training:columns.chooseKey');
  else if (!columns.names.includes(key)) errors.keyColumn = i18n.t('training:columns.noKey', { column: key, list });
  if (time === '') errors.timeColumn = i18n.t('training:columns.chooseTime');
  else if (!columns.names.includes(time)) errors.timeColumn = i18n.t('training:columns.noTime', { column: time, list });
  return errors;
}

/**
 * Errors for typed column names that the label file does not have, before the job is asked for.
 * An empty field is left to the service's default (entity_key, timestamp), which it checks itself.
 */
export function typedColumnErrors(draft: Pick<TrainingSetDraft, 'keyColumn' | 'timeColumn'>, columns: LabelColumns | undefined): TrainingSetErrors {
  if (!columns) return {};
  const errors = labelColumnErrors(draft, columns);
  if (draft.keyColumn.trim() === '') delete errors.keyColumn;
  if (draft.timeColumn.trim() === '') delete errors.timeColumn;
  return errors;
}
