import { describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { columnProblemsOf, describeProgress, ingestReportOf, jobDurationMs, progressPercent, rejectedRowsOf } from './job-view.js';

const progress = (rows_done: number, rows_total: number | null, rows_per_second = 0) => ({ phase: 'writing offline', rows_done, rows_total, rows_per_second });

describe('progress', () => {
  it('is determinate only when the total is known', () => {
    expect(progressPercent(progress(250, 1000))).toBe(25);
    expect(progressPercent(progress(1200, 1000))).toBe(100);
    expect(progressPercent(progress(10, null))).toBeUndefined();
    expect(progressPercent(progress(0, 0))).toBeUndefined();
  });

  it('reads as phase, rows and throughput', () => {
    expect(describeProgress(progress(12000, 50000, 8400.4))).toBe('writing offline · 12,000 of 50,000 rows · 8,400 rows/s');
    expect(describeProgress({ ...progress(0, null), phase: 'reading' })).toBe('reading');
    expect(describeProgress({ ...progress(300, null, 100), phase: 'writing online' })).toBe('writing online · 300 rows · 100 rows/s');
  });
});

describe('jobDurationMs', () => {
  it('measures from start to finish, or to now while running', () => {
    expect(jobDurationMs({ started_at: null, finished_at: null })).toBeUndefined();
    expect(jobDurationMs({ started_at: '2025-01-01T00:00:00.000Z', finished_at: '2025-01-01T00:00:02.500Z' })).toBe(2500);
    expect(jobDurationMs({ started_at: '2025-01-01T00:00:00.000Z', finished_at: null }, Date.parse('2025-01-01T00:01:00Z'))).toBe(60_000);
  });
});

describe('failed ingestions', () => {
  it('lists the rejected rows with the total of invalid rows', () => {
    const error: Job['error'] = {
      code: 'FSTORE_INGEST_REJECTED',
      message: '2 of 10 rows are invalid',
      details: {
        invalid_rows: 2,
        rows: 10,
        errors: [
          { row: 3, column: 'usuario_idade', value: 'abc', reason: 'expected an integer' },
          { row: 7, column: 'event_timestamp', value: null, reason: 'the event time is missing' },
          { unexpected: true },
        ],
      },
    };
    expect(rejectedRowsOf(error)).toEqual({
      invalidRows: 2,
      errors: [
        { row: 3, column: 'usuario_idade', value: 'abc', reason: 'expected an integer' },
        { row: 7, column: 'event_timestamp', value: null, reason: 'the event time is missing' },
      ],
    });
  });

  it('has no rows for other failures, and column problems when the service gives them', () => {
    expect(rejectedRowsOf(null)).toBeUndefined();
    expect(rejectedRowsOf({ code: 'FSTORE_CANCELLED', message: 'Cancelled' })).toBeUndefined();
    const columns: Job['error'] = { code: 'FSTORE_INGEST_REJECTED', message: 'rejected', details: { columns: ["column 'X' is not snake_case"] } };
    expect(rejectedRowsOf(columns)).toBeUndefined();
    expect(columnProblemsOf(columns)).toEqual(["column 'X' is not snake_case"]);
  });
});

describe('ingestReportOf', () => {
  it('recognises the report of a file ingestion', () => {
    const result = { rows: 3, values_written: 6, registered_features: [], features: [] };
    expect(ingestReportOf({ kind: 'ingest_file', result })).toBe(result);
    expect(ingestReportOf({ kind: 'transform_run', result: { ...result, transform: 'user_stats', version: 2 } })).toMatchObject(result);
    expect(ingestReportOf({ kind: 'materialize', result })).toBeUndefined();
    expect(ingestReportOf({ kind: 'ingest_file', result: null })).toBeUndefined();
    expect(ingestReportOf({ kind: 'ingest_file', result: { other: 1 } })).toBeUndefined();
  });
});
