/** What the UI shows of a job: progress, duration, its ingestion report or its rejected rows. */
import type { Job, JobKind, JobProgress, JobState } from '@shared/api/jobs.js';
import type { IngestReport } from '@shared/api/serving.js';
import type { RowError } from '@shared/errors.js';
import { formatCount } from '../common/format-number.js';
import { i18n } from '../i18n/i18n.js';

export const JOB_STATE_COLORS: Record<JobState, 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  queued: 'default',
  running: 'info',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'warning',
};

/** A job state as the user reads it, in the UI language. */
export function jobStateLabel(state: JobState): string {
  return i18n.t(`jobs:state.${state}`);
}

/** A job kind as the user reads it, in the UI language. */
export function jobKindLabel(kind: JobKind): string {
  return i18n.t(`jobs:kind.${kind}`);
}

/** The phases the service reports (English, its contract), each with its key in the jobs namespace. */
const PHASE_KEYS = {
  queued: 'queued',
  starting: 'starting',
  done: 'done',
  reading: 'reading',
  'reading source': 'readingSource',
  validating: 'validating',
  registering: 'registering',
  'writing offline': 'writingOffline',
  'writing online': 'writingOnline',
  'writing the file': 'writingFile',
  'writing the output': 'writingOutput',
  joining: 'joining',
  'running the transform': 'runningTransform',
  'running the label query': 'runningLabelQuery',
  'reading labels': 'readingLabels',
  'connecting to source': 'connecting',
  'starting Spark': 'startingSpark',
  'reading the Spark output': 'readingSparkOutput',
  'waiting for a SQL session': 'waitingSqlSession',
  'waiting for the previous pull of this source': 'waitingPreviousPull',
  'waiting for another replica’s pull of this source': 'waitingReplicaPull',
  'waiting for another replica’s run of this group': 'waitingReplicaRun',
} as const;

/** A phase in the UI language; one the UI does not know (e.g. Spark's own) is shown as the service wrote it. */
export function phaseLabel(phase: string): string {
  const key = (PHASE_KEYS as Record<string, (typeof PHASE_KEYS)[keyof typeof PHASE_KEYS]>)[phase];
  return key ? i18n.t(`jobs:phase.${key}`) : phase;
}

/** "12,000 of 50,000 rows", "300 rows", or undefined before any row is counted. */
export function describeRows(progress: JobProgress): string | undefined {
  if (progress.rows_total !== null) return i18n.t('jobs:progress.rowsOfTotal', { done: formatCount(progress.rows_done), total: formatCount(progress.rows_total) });
  if (progress.rows_done > 0) return i18n.t('jobs:progress.rows', { count: progress.rows_done, formatted: formatCount(progress.rows_done) });
  return undefined;
}

/** "8,400 rows/s" */
export function describeRate(rowsPerSecond: number): string {
  return i18n.t('jobs:progress.rate', { rate: formatCount(Math.round(rowsPerSecond)) });
}

/** Percent done when the total is known, else undefined (an indeterminate bar). */
export function progressPercent(progress: JobProgress): number | undefined {
  if (progress.rows_total === null || progress.rows_total <= 0) return undefined;
  return Math.min(100, Math.max(0, (progress.rows_done / progress.rows_total) * 100));
}

/** "writing offline · 12,000 of 50,000 rows · 8,400 rows/s" */
export function describeProgress(progress: JobProgress): string {
  const parts = [phaseLabel(progress.phase)];
  const rows = describeRows(progress);
  if (rows !== undefined) parts.push(rows);
  if (progress.rows_per_second > 0) parts.push(describeRate(progress.rows_per_second));
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
