/**
 * Job records as every replica on the shared backends sees them: a job started on one replica is
 * listed, followed and cancelled through any other, and its final state outlives the replica.
 */
import type { Job, JobKind, JobState } from '@shared/api/jobs.js';

export interface JobRecord {
  job: Job;
  /** The lease holder id of the replica that runs (or ran) the job. */
  holder: string;
  /** Set by a cancel through any replica; the holder sees it and stops the job. */
  cancelRequested: boolean;
}

/** What a job's engine printed: the last lines kept, and how many older ones were dropped. */
export interface JobLog {
  lines: string[];
  dropped: number;
}

export interface JobFilter {
  state?: JobState;
  kind?: JobKind;
  /** Only jobs not yet ended (queued or running). */
  unfinished?: boolean;
  /** At most this many, newest first (default 100). */
  limit?: number;
}

export interface JobRecordStore {
  /**
   * Inserts or replaces the job by id, leaving a cancel request as it is. A record that has ended
   * is never replaced (ended is final, whoever wrote it first): false then, true when written.
   */
  put(job: Job, holder: string): Promise<boolean>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Newest first (by created_at). */
  list(filter: JobFilter): Promise<JobRecord[]>;
  requestCancel(id: string): Promise<void>;
  /** Replaces the job's log. */
  putLog(id: string, log: JobLog): Promise<void>;
  getLog(id: string): Promise<JobLog | undefined>;
}

export const UNFINISHED_STATES: readonly JobState[] = ['queued', 'running'];

export function matchesJobFilter(job: Job, filter: JobFilter): boolean {
  if (filter.state && job.state !== filter.state) return false;
  if (filter.kind && job.kind !== filter.kind) return false;
  if (filter.unfinished && !UNFINISHED_STATES.includes(job.state)) return false;
  return true;
}
