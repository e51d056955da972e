/** What the UI shows of a job: progress, duration, its ingestion report or its rejected rows. */
import type { Job, JobKind, JobProgress, JobState } from '@shared/api/jobs.js';
import type { IngestReport } from '@shared/api/serving.js';
import type { RowError } from '@shared/errors.js';
import { formatCount } from '../common/format-number.js';

export const JOB_STATE_LABELS: Record<JobState, { label: string; color: 'default' | 'info' | 'success' | 'error' | 'warning' }> = {
  queued: { label: 'Queued', color: 'default' },
  running: { label: 'Running', color: 'info' },
  succeeded: { label: 'Succeeded', color: 'success' },
  failed: { label: 'Failed', color: 'error' },
  cancelled: { label: 'Cancelled', color: 'warning' },
};

export const JOB_KIND_LABELS: Record<JobKind, string> = {
  ingest_file: 'File ingestion',
  materialize: 'Materialization',
  sql_pull: 'SQL pull',
  transform_run: 'Transform run',
  training_set: 'Training set',
};

/** Percent done when the total is known, else undefined (an indeterminate bar). */
export function progressPercent(progress: JobProgress): number | undefined {
  if (progress.rows_total === null || progress.rows_total <= 0) return undefined;
  return Math.min(100, Math.max(0, (progress.rows_done / progress.rows_total) * 100));
}

/** "writing offline · 12,000 of 50,000 rows · 8,400 rows/s" */
export function describeProgress(progress: JobProgress): string {
  const parts = [progress.phase];
  if (progress.rows_total !== null) parts.push(`${formatCount(progress.rows_done)} of ${formatCount(progress.rows_total)} rows`);
  else if (progress.rows_done > 0) parts.push(`${formatCount(progress.rows_done)} rows`);
  if (progress.rows_per_second > 0) parts.push(`${formatCount(Math.round(progress.rows_per_second))} rows/s`);
  return parts.join(' · ');
}

/** How long the job ran (or has been running at `now`); undefined before it started. */
export function jobDurationMs(job: Pick<Job, 'started_at' | 'finished_at'>, now: number = Date.now()): number | undefined {
  if (!job.started_at) return undefined;
  const start = Date.parse(job.started_at);
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : Math.max(0, end - start);
}

export interface RejectedRows {
  errors: RowError[];
  /** How many rows are invalid in all (the list holds the first ones). */
  invalidRows: number;
}

/** The rejected rows of a failed ingestion (FSTORE_INGEST_REJECTED with `details.errors`), if any. */
export function rejectedRowsOf(error: Job['error']): RejectedRows | undefined {
  const details = error?.details;
  if (typeof details !== 'object' || details === null) return undefined;
  const { errors, invalid_rows: invalidRows } = details as { errors?: unknown; invalid_rows?: unknown };
  if (!Array.isArray(errors)) return undefined;
  const rows = errors.filter(isRowError);
  if (rows.length === 0) return undefined;
  return { errors: rows, invalidRows: typeof invalidRows === 'number' ? invalidRows : new Set(rows.map((r) => r.row)).size };
}

/** Column-level problems of a rejected batch (`details.columns`), if any. */
export function columnProblemsOf(error: Job['error']): string[] {
  const details = error?.details;
  if (typeof details !== 'object' || details === null) return [];
  const columns = (details as { columns?: unknown }).columns;
  return Array.isArray(columns) ? columns.filter((c): c is string => typeof c === 'string') : [];
}

function isRowError(x: unknown): x is RowError {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r['row'] === 'number' && typeof r['column'] === 'string' && typeof r['reason'] === 'string';
}

/** The report of a finished file ingestion, or of a transform run (which writes its output the same way). */
export function ingestReportOf(job: Pick<Job, 'kind' | 'result'>): IngestReport | undefined {
  const result = job.result;
  if ((job.kind !== 'ingest_file' && job.kind !== 'transform_run') || result === null) return undefined;
  const isReport =
    typeof result['rows'] === 'number' && typeof result['values_written'] === 'number' && Array.isArray(result['registered_features']);
  return isReport ? (result as unknown as IngestReport) : undefined;
}
