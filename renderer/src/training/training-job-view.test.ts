import { describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import type { Job } from '@shared/api/jobs.js';
import { engineOf, hasEngineLog, isLogGrowing, isSparkUnavailable, jobFailureOf, resultFileName, trainingSetResultOf } from './training-job-view.js';

const RESULT = {
  entity: 'conta',
  features: ['conta_saldo'],
  columns: ['entity_key', 'timestamp', 'label', 'conta_saldo'],
  row_count: 4,
  engine: 'embedded',
  format: 'csv',
  size_bytes: 120,
  download: '/api/jobs/j1/result',
};

function job(change: Partial<Job>): Job {
  return {
    id: '0f8e6c1a-0000-4000-8000-000000000001',
    kind: 'training_set',
    state: 'running',
    title: 'training set for conta',
    params: { engine: 'embedded' },
    progress: { phase: 'joining', rows_done: 1, rows_total: 4, rows_per_second: 0 },
    created_at: '2026-01-01T00:00:00Z',
    started_at: null,
    finished_at: null,
    created_by: 'local',
    error: null,
    result: null,
    ...change,
  };
}

describe('trainingSetResultOf', () => {
  it('reads the result of a succeeded training-set job only', () => {
    expect(trainingSetResultOf(job({ state: 'succeeded', result: RESULT }))).toMatchObject({ row_count: 4, format: 'csv' });
    expect(trainingSetResultOf(job({ state: 'running', result: RESULT }))).toBeUndefined();
    expect(trainingSetResultOf(job({ kind: 'transform_run', state: 'succeeded', result: RESULT }))).toBeUndefined();
    expect(trainingSetResultOf(job({ state: 'succeeded', result: { ...RESULT, row_count: '4' } }))).toBeUndefined();
    expect(trainingSetResultOf(job({ state: 'succeeded', result: { ...RESULT, format: 'json' } }))).toBeUndefined();
  });
});

describe('jobFailureOf', () => {
  it("rebuilds a failed job's error as the client's error, with the catalogue's status", () => {
    const failed = job({
      state: 'failed',
      error: { code: 'FSTORE_VALIDATION_FAILED', message: "The label file has no column 'timestamp'", details: { missing_columns: ['timestamp'] } },
    });
    const error = jobFailureOf(failed);
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ status: 400, code: 'FSTORE_VALIDATION_FAILED', message: "The label file has no column 'timestamp'", details: { missing_columns: ['timestamp'] } });
    expect(jobFailureOf(job({ state: 'failed', error: { code: 'FSTORE_SOMETHING_NEW', message: 'x' } }))).toMatchObject({ status: 500, code: 'FSTORE_SOMETHING_NEW' });
    expect(jobFailureOf(job({ state: 'cancelled', error: { code: 'FSTORE_CANCELLED', message: 'Cancelled' } }))).toBeUndefined();
  });

  it('tells Spark not being set up from other errors', () => {
    const spark = jobFailureOf(job({ state: 'failed', error: { code: 'FSTORE_SPARK_UNAVAILABLE', message: 'sparkMaster is not set' } }));
    expect(isSparkUnavailable(spark)).toBe(true);
    expect(isSparkUnavailable(new FStoreApiError(501, 'FSTORE_SPARK_UNAVAILABLE', 'no'))).toBe(true);
    expect(isSparkUnavailable(new FStoreApiError(500, 'FSTORE_SPARK_FAILED', 'boom'))).toBe(false);
    expect(isSparkUnavailable(new Error('FSTORE_SPARK_UNAVAILABLE'))).toBe(false);
  });
});

describe('engine log', () => {
  it('is shown for Spark runs and failures, and read again while Spark runs', () => {
    const spark = job({ params: { engine: 'spark' } });
    expect(engineOf(spark)).toBe('spark');
    expect(hasEngineLog(spark)).toBe(true);
    expect(isLogGrowing(spark)).toBe(true);
    expect(isLogGrowing({ ...spark, state: 'succeeded' })).toBe(false);
    expect(hasEngineLog(job({}))).toBe(false);
    expect(hasEngineLog(job({ state: 'failed' }))).toBe(true);
    expect(engineOf(job({ params: {}, state: 'succeeded', result: { ...RESULT, engine: 'spark' } }))).toBe('spark');
  });
});

describe('resultFileName', () => {
  it("takes the service's file name, else builds one", () => {
    expect(resultFileName({ entity: 'conta', format: 'csv' }, 'abcdef123456', 'attachment; filename="training-conta-abcdef12.csv"')).toBe('training-conta-abcdef12.csv');
    expect(resultFileName({ entity: 'conta', format: 'parquet' }, 'abcdef123456', "attachment; filename*=UTF-8''..%2Fevil.parquet")).toBe('evil.parquet');
    expect(resultFileName({ entity: 'conta', format: 'parquet' }, 'abcdef123456')).toBe('training-conta-abcdef12.parquet');
  });
});
