import type { Key, RootDatabase } from 'lmdb';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { matchesJobFilter, type JobFilter, type JobLog, type JobRecord, type JobRecordStore } from '../job-records.js';

interface StoredJob {
  job: Job;
  holder: string;
}

/**
 * Job records in the embedded registry's LMDB environment. Keys:
 *   ['job', id]        -> { job, holder }
 *   ['jobcancel', id]  -> true once a cancel was asked for
 *   ['joblog', id]     -> JobLog
 */
export class LmdbJobRecords implements JobRecordStore {
  constructor(private readonly db: RootDatabase<unknown, Key>) {}

  async put(job: Job, holder: string): Promise<boolean> {
    return this.db.transactionSync(() => {
      const current = this.db.get(['job', job.id]) as StoredJob | undefined;
      if (current && isTerminal(current.job.state)) return false;
      this.db.putSync(['job', job.id], { job, holder } satisfies StoredJob);
      return true;
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const stored = this.db.get(['job', id]) as StoredJob | undefined;
    return stored && { ...stored, cancelRequested: this.db.get(['jobcancel', id]) === true };
  }

  async list(filter: JobFilter): Promise<JobRecord[]> {
    const out: JobRecord[] = [];
    for (const { value } of this.db.getRange({ start: ['job'], end: ['job', '\uffff'] })) {
      const stored = value as StoredJob;
      if (matchesJobFilter(stored.job, filter)) out.push({ ...stored, cancelRequested: this.db.get(['jobcancel', stored.job.id]) === true });
    }
    out.sort((a, b) => b.job.created_at.localeCompare(a.job.created_at));
    return out.slice(0, filter.limit ?? 100);
  }

  async requestCancel(id: string): Promise<void> {
    await this.db.put(['jobcancel', id], true);
  }

  async putLog(id: string, log: JobLog): Promise<void> {
    await this.db.put(['joblog', id], log);
  }

  async getLog(id: string): Promise<JobLog | undefined> {
    return this.db.get(['joblog', id]) as JobLog | undefined;
  }
}
