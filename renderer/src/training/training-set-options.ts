/** What a training-set job can be asked for besides its inputs: the engine and the output file (docs/spark.md). */
import type { TrainingSetJobRequest } from '@shared/api/serving.js';

export type TrainingEngine = NonNullable<TrainingSetJobRequest['engine']>;
export type TrainingOutputFormat = NonNullable<TrainingSetJobRequest['format']>;

/** The label file's columns when the form leaves them empty (the service's defaults). */
export const DEFAULT_KEY_COLUMN = 'entity_key';
export const DEFAULT_TIME_COLUMN = 'timestamp';

export const TRAINING_ENGINE_OPTIONS: readonly { value: TrainingEngine; label: string; hint: string }[] = [
  { value: 'embedded', label: 'Embedded (offline store)', hint: "The offline store's own join, inside the service" },
  { value: 'spark', label: 'Spark', hint: 'A Spark job, for label sets too large for one machine; the service needs sparkMaster' },
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
