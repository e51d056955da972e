/** The Training sets form: what it holds, the checks made before submitting, and the job request it sends. */
import type { TrainingSetJobRequest } from '@shared/api/serving.js';
import { i18n } from '../i18n/i18n.js';
import { formatCount } from '../common/format-number.js';
import { DEFAULT_KEY_COLUMN, DEFAULT_TIME_COLUMN, type TrainingEngine, type TrainingOutputFormat } from './training-set-options.js';

/** Where the label rows come from: a file, or a SQL query on a registered data source. */
export type LabelsFrom = 'file' | 'query';

/** Where the feature columns come from: features picked one by one, or a feature service's set. */
export type FeaturesFrom = 'list' | 'service';

export interface TrainingSetDraft {
  /** With featuresFrom 'service', the service's entity and features (shown, not sent). */
  entity: string;
  features: string[];
  featuresFrom: FeaturesFrom;
  /** With featuresFrom 'service': the feature service's name. */
  featureService: string;
  labelsFrom: LabelsFrom;
  /** With labelsFrom 'query': the data source's name and the SELECT, as typed. */
  labelSource: string;
  labelQuery: string;
  /** Column names as typed; empty means the service's default (entity_key, timestamp). */
  keyColumn: string;
  timeColumn: string;
  engine: TrainingEngine;
  format: TrainingOutputFormat;
}

export const EMPTY_TRAINING_SET_DRAFT: TrainingSetDraft = {
  entity: '',
  features: [],
  featuresFrom: 'list',
  featureService: '',
  labelsFrom: 'file',
  labelSource: '',
  labelQuery: '',
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

export type TrainingSetField = 'entity' | 'features' | 'labels' | 'labelSource' | 'labelQuery' | 'keyColumn' | 'timeColumn';
export type TrainingSetErrors = Partial<Record<TrainingSetField, string>>;

const MAX_FEATURES = 1000;
const MAX_COLUMN_LENGTH = 255;
const MAX_QUERY_LENGTH = 100_000;

/** The column the service will read: the typed name, else the default. */
export function effectiveColumn(typed: string, fallback: string): string {
  const name = typed.trim();
  return name === '' ? fallback : name;
}

function labelFileProblem(labels: LabelFileStatus): string | undefined {
  switch (labels.state) {
    case 'none':
      return i18n.t('training:draft.noFile');
    case 'uploading':
      return i18n.t('training:draft.uploading');
    case 'failed':
      return i18n.t('training:draft.uploadFailed');
    case 'uploaded':
      return undefined;
  }
}

/** Blocking problems by field, so that the request the service receives is complete. */
export function validateTrainingSetDraft(draft: TrainingSetDraft, labels: LabelFileStatus): TrainingSetErrors {
  const errors: TrainingSetErrors = {};
  if (draft.featuresFrom === 'service') {
    // The service names its entity and features: only the service is to choose.
    if (draft.featureService.trim() === '') errors.features = i18n.t('training:draft.chooseService');
  } else {
    if (draft.entity.trim() === '') errors.entity = i18n.t('training:draft.chooseEntity');
    if (draft.features.length === 0) {
      errors.features =
        draft.entity.trim() === '' ? i18n.t('training:draft.chooseEntityAndFeature') : i18n.t('training:draft.chooseFeature', { entity: draft.entity.trim() });
    } else if (draft.features.length > MAX_FEATURES) {
      errors.features = i18n.t('training:draft.tooManyFeatures', { max: formatCount(MAX_FEATURES) });
    }
  }
  if (draft.labelsFrom === 'query') {
    if (draft.labelSource.trim() === '') errors.labelSource = i18n.t('training:draft.chooseSource');
    if (draft.labelQuery.trim() === '') errors.labelQuery = i18n.t('training:draft.writeQuery');
    else if (draft.labelQuery.length > MAX_QUERY_LENGTH) errors.labelQuery = i18n.t('training:draft.queryTooLong', { max: formatCount(MAX_QUERY_LENGTH) });
  } else {
    const problem = labelFileProblem(labels);
    if (problem) errors.labels = problem;
  }
  for (const [field, typed] of [
    ['keyColumn', draft.keyColumn],
    ['timeColumn', draft.timeColumn],
  ] as const) {
    if (typed.trim().length > MAX_COLUMN_LENGTH) errors[field] = i18n.t('training:draft.columnTooLong', { max: MAX_COLUMN_LENGTH });
  }
  const key = effectiveColumn(draft.keyColumn, DEFAULT_KEY_COLUMN);
  const time = effectiveColumn(draft.timeColumn, DEFAULT_TIME_COLUMN);
  if (!errors.keyColumn && !errors.timeColumn && key === time) {
    errors.timeColumn = i18n.t('training:draft.sameColumn', { column: key });
  }
  return errors;
}

/**
 * POST /api/jobs/training-set, once the draft is valid; empty column names are left to the service's
 * defaults. The labels are the uploaded file, or the query when the draft takes them from one; the
 * features are the picked list, or the feature service.
 */
export function toTrainingSetRequest(draft: TrainingSetDraft, uploadId: string | undefined): TrainingSetJobRequest {
  const keyColumn = draft.keyColumn.trim();
  const timeColumn = draft.timeColumn.trim();
  return {
    // A service's name stands for its entity and features, so a later version of it is what runs.
    ...(draft.featuresFrom === 'service' ? { feature_service: draft.featureService.trim() } : { entity: draft.entity.trim(), feature_list: [...draft.features] }),
    labels: draft.labelsFrom === 'query' ? { source: draft.labelSource.trim(), query: draft.labelQuery } : { upload: uploadId ?? '' },
    ...(keyColumn === '' ? {} : { key_column: keyColumn }),
    ...(timeColumn === '' ? {} : { time_column: timeColumn }),
    engine: draft.engine,
    format: draft.format,
  };
}
