/** The Training sets form: what it holds, the checks made before submitting, and the job request it sends. */
import type { TrainingSetJobRequest } from '../../../shared/api/serving.js';
import { DEFAULT_KEY_COLUMN, DEFAULT_TIME_COLUMN, type TrainingEngine, type TrainingOutputFormat } from './training-set-options.js';

export interface TrainingSetDraft {
  entity: string;
  features: string[];
  /** Column names as typed; empty means the service's default (entity_key, timestamp). */
  keyColumn: string;
  timeColumn: string;
  engine: TrainingEngine;
  format: TrainingOutputFormat;
}

export const EMPTY_TRAINING_SET_DRAFT: TrainingSetDraft = {
  entity: '',
  features: [],
  keyColumn: '',
  timeColumn: '',
  engine: 'embedded',
  format: 'parquet',
};

/** Where the label file is on its way to the service. */
export type LabelFileStatus =
  | { state: 'none' }
  | { state: 'uploading' }
  | { state: 'failed' }
  | { state: 'uploaded'; uploadId: string };

export type TrainingSetField = 'entity' | 'features' | 'labels' | 'keyColumn' | 'timeColumn';
export type TrainingSetErrors = Partial<Record<TrainingSetField, string>>;

const MAX_FEATURES = 1000;
const MAX_COLUMN_LENGTH = 255;

/** The column the service will read: the typed name, else the default. */
export function effectiveColumn(typed: string, fallback: string): string {
  const name = typed.trim();
  return name === '' ? fallback : name;
}

/** Blocking problems by field, so that the request the service receives is complete. */
export function validateTrainingSetDraft(draft: TrainingSetDraft, labels: LabelFileStatus): TrainingSetErrors {
  const errors: TrainingSetErrors = {};
  if (draft.entity.trim() === '') errors.entity = 'Choose the entity the label rows are about';
  if (draft.features.length === 0) {
    errors.features = draft.entity.trim() === '' ? 'Choose an entity, then at least one of its features' : `Choose at least one feature of ${draft.entity.trim()}`;
  } else if (draft.features.length > MAX_FEATURES) {
    errors.features = `At most ${MAX_FEATURES} features in one training set`;
  }
  switch (labels.state) {
    case 'none':
      errors.labels = 'Choose or drop a label file (CSV, Parquet, JSON or NDJSON)';
      break;
    case 'uploading':
      errors.labels = 'Wait for the label file to finish uploading';
      break;
    case 'failed':
      errors.labels = 'The label file did not upload: retry, or choose it again';
      break;
    case 'uploaded':
      break;
  }
  for (const [field, typed] of [
    ['keyColumn', draft.keyColumn],
    ['timeColumn', draft.timeColumn],
  ] as const) {
    if (typed.trim().length > MAX_COLUMN_LENGTH) errors[field] = `A column name of at most ${MAX_COLUMN_LENGTH} characters`;
  }
  const key = effectiveColumn(draft.keyColumn, DEFAULT_KEY_COLUMN);
  const time = effectiveColumn(draft.timeColumn, DEFAULT_TIME_COLUMN);
  if (!errors.keyColumn && !errors.timeColumn && key === time) {
    errors.timeColumn = `The entity key and the label time cannot both be column ${key}`;
  }
  return errors;
}

/** POST /api/jobs/training-set, once the draft is valid; empty column names are left to the service's defaults. */
export function toTrainingSetRequest(draft: TrainingSetDraft, uploadId: string): TrainingSetJobRequest {
  const keyColumn = draft.keyColumn.trim();
  const timeColumn = draft.timeColumn.trim();
  return {
    entity: draft.entity.trim(),
    feature_list: [...draft.features],
    labels: { upload: uploadId },
    ...(keyColumn === '' ? {} : { key_column: keyColumn }),
    ...(timeColumn === '' ? {} : { time_column: timeColumn }),
    engine: draft.engine,
    format: draft.format,
  };
}
