/** What the Training sets page reads from its job: the result file, the failure, the engine and whether it has a log worth showing. */
import { FStoreApiError } from '@shared/api/client.js';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import type { TrainingSetJobResult } from '@shared/api/serving.js';
import { ERROR_CATALOGUE, isErrorBody } from '@shared/errors.js';
import { isTrainingEngine, isTrainingOutputFormat, type TrainingEngine } from './training-set-options.js';

/** The result of a succeeded training-set job, or undefined while it runs or when the result is not one. */
export function trainingSetResultOf(job: Pick<Job, 'kind' | 'state' | 'result'>): TrainingSetJobResult | undefined {
  const { result } = job;
  if (job.kind !== 'training_set' || job.state !== 'succeeded' || result === null) return undefined;
  const { row_count: rows, columns, format, size_bytes: size, engine } = result;
  const isResult =
    typeof rows === 'number' &&
    Array.isArray(columns) &&
    columns.every((c) => typeof c === 'string') &&
    typeof format === 'string' &&
    isTrainingOutputFormat(format) &&
    typeof size === 'number' &&
    typeof engine === 'string' &&
    isTrainingEngine(engine);
  // Checked field by field above; the rest (entity, download, warnings) is read defensively where shown.
  return isResult ? (result as unknown as TrainingSetJobResult) : undefined;
}

/** The engine the job ran on: from its result, else from the request it was started with. */
export function engineOf(job: Pick<Job, 'params' | 'result'>): TrainingEngine | undefined {
  for (const value of [job.result?.['engine'], job.params['engine']]) {
    if (typeof value === 'string' && isTrainingEngine(value)) return value;
  }
  return undefined;
}

/**
 * A failed job's error as the client would have thrown it, so the page shows it with ErrorAlert
 * like any other error (title from the catalogue, message, code, details).
 */
export function jobFailureOf(job: Pick<Job, 'state' | 'error'>): FStoreApiError | undefined {
  if (job.state !== 'failed' || !job.error) return undefined;
  const body = { error: job.error };
  if (!isErrorBody(body)) return undefined;
  const { code, message, details } = body.error;
  const status = code in ERROR_CATALOGUE ? ERROR_CATALOGUE[code].status : 500;
  return new FStoreApiError(status, code, message, details);
}

/** Spark runs (the driver's output) and failed runs have an engine log worth showing. */
export function hasEngineLog(job: Pick<Job, 'state' | 'params' | 'result'>): boolean {
  return engineOf(job) === 'spark' || job.state === 'failed';
}

/** Whether the log may still grow (a running Spark job): then it is read again now and then. */
export function isLogGrowing(job: Pick<Job, 'state' | 'params' | 'result'>): boolean {
  return !isTerminal(job.state) && engineOf(job) === 'spark';
}

/** Is this error Spark not being set up on the service (a refused request or a failed job)? */
export function isSparkUnavailable(error: unknown): boolean {
  return error instanceof FStoreApiError && error.code === 'FSTORE_SPARK_UNAVAILABLE';
}

/** The name the downloaded file is saved under: the service's (Content-Disposition), else training-<entity>-<job>.<format>. */
export function resultFileName(result: Pick<TrainingSetJobResult, 'entity' | 'format'>, jobId: string, contentDisposition: string | null = null): string {
  const served = contentDisposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(contentDisposition)?.[1] : undefined;
  if (served) {
    const name = safeDecode(served).replace(/^.*[\\/]/, '').trim();
    if (name !== '') return name;
  }
  const entity = typeof result.entity === 'string' && result.entity !== '' ? result.entity : 'set';
  return `training-${entity}-${jobId.slice(0, 8)}.${result.format}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
