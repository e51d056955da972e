import type { Collection, Filter } from 'mongodb';
import type { Job } from '../../../../shared/api/jobs.js';
import { UNFINISHED_STATES, type JobFilter, type JobLog, type JobRecord, type JobRecordStore } from '../job-records.js';

export interface JobDoc {
  _id: string;
  job: Job;
  holder: string;
  cancel_requested?: boolean;
}

export interface JobLogDoc extends JobLog {
  _id: string;
}

/**
 * Job records in MongoDB (FerretDB v1 too): one document per job. The "ended is final" rule is the
 * update's filter (state still queued or running), so a replica that lost its lease cannot undo the
 * verdict another replica wrote; an insert of a new id goes through the upsert.
 */
export class MongoJobRecords implements JobRecordStore {
  constructor(
    private readonly jobs: Collection<JobDoc>,
    private readonly logs: Collection<JobLogDoc>,
    private readonly guard: <T>(op: () => Promise<T>) => Promise<T>,
  ) {}

  static indexes(jobs: Collection<JobDoc>): Promise<unknown>[] {
    return [jobs.createIndex({ 'job.created_at': -1 }), jobs.createIndex({ 'job.state': 1 })];
  }

  async put(job: Job, holder: string): Promise<boolean> {
    const unfinished = { _id: job.id, 'job.state': { $in: [...UNFINISHED_STATES] } } as Filter<JobDoc>;
    const updated = await this.guard(() => this.jobs.updateOne(unfinished, { $set: { job, holder } }));
    if (updated.matchedCount > 0) return true;
    // Absent (a new job) or ended: the insert of a new id succeeds; an ended one's is a duplicate.
    try {
      await this.guard(() => this.jobs.insertOne({ _id: job.id, job, holder }));
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const doc = await this.guard(() => this.jobs.findOne({ _id: id }));
    return doc ? recordOf(doc) : undefined;
  }

  async list(filter: JobFilter): Promise<JobRecord[]> {
    const query: Filter<JobDoc> = {};
    if (filter.state) query['job.state'] = filter.state;
    else if (filter.unfinished) query['job.state'] = { $in: [...UNFINISHED_STATES] };
    if (filter.unfinished && filter.state && !UNFINISHED_STATES.includes(filter.state)) return [];
    if (filter.kind) query['job.kind'] = filter.kind;
    const docs = await this.guard(() =>
      this.jobs
        .find(query)
        .sort({ 'job.created_at': -1 })
        .limit(filter.limit ?? 100)
        .toArray(),
    );
    return docs.map(recordOf);
  }

  async requestCancel(id: string): Promise<void> {
    await this.guard(() => this.jobs.updateOne({ _id: id }, { $set: { cancel_requested: true } }));
  }

  async putLog(id: string, log: JobLog): Promise<void> {
    await this.guard(() => this.logs.replaceOne({ _id: id }, { lines: log.lines, dropped: log.dropped }, { upsert: true }));
  }

  async getLog(id: string): Promise<JobLog | undefined> {
    const doc = await this.guard(() => this.logs.findOne({ _id: id }));
    return doc ? { lines: doc.lines, dropped: doc.dropped } : undefined;
  }
}

function recordOf(doc: JobDoc): JobRecord {
  return { job: doc.job, holder: doc.holder, cancelRequested: doc.cancel_requested === true };
}
