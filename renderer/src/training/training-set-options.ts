/** What a training-set job can be asked for besides its inputs: the engine and the output file (docs/spark.md). */
import type { TrainingSetJobRequest } from '@shared/api/serving.js';
import { i18n } from '../i18n/i18n.js';

export type TrainingEngine = NonNullable<TrainingSetJobRequest['engine']>;
export type TrainingOutputFormat = NonNullable<TrainingSetJobRequest['format']>;

/** The label file's columns when the form leaves them empty (the service's defaults). */
export const DEFAULT_KEY_COLUMN = 'entity_key';
export const DEFAULT_TIME_COLUMN = 'timestamp';

/** Labels and hints are getters: read in the UI language at the time they are shown. */
export const TRAINING_ENGINE_OPTIONS: readonly { value: TrainingEngine; readonly label: string; readonly hint: string }[] = [
  {
    value: 'embedded',
    get label() {
      return i18n.t('training:engines.embedded');
    },
    get hint() {
      return i18n.t('training:engines.embeddedHint');
    },
  },
  {
    value: 'spark',
    label: 'Spark',
    get hint() {
      return i18n.t('training:engines.sparkHint');
    },
  },
];

export const TRAINING_FORMAT_OPTIONS: readonly { value: TrainingOutputFormat; label: string }[] = [
  { value: 'parquet', label: 'Parquet' },
  { value: 'csv', label: 'CSV' },
];

export function isTrainingEngine(value: string): value is TrainingEngine {
  return TRAINING_ENGINE_OPTIONS.some((o) => o.value === value);
}

export function isTrainingOutputFormat(value: string): value is TrainingOutputFormat {
  return TRAINING_FORMAT_OPTIONS.some((o) => o.value === value);
}
