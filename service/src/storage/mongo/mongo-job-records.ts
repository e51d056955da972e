import type { Collection, Filter } from 'mongodb';
import type { Job } from '@shared/api/jobs.js';
import { UNFINISHED_STATES, type JobFilter, type JobLog, type JobRecord, type JobRecordStore } from '../job-records.js';

export interface JobDoc {
  _id: string;
  job: Job;
  holder: string;
}

/** A cancel request of the job `_id`: a document of its own, so no update of the job can lose it. */
export interface JobCancelDoc {
  _id: string;
}

export interface JobLogDoc extends JobLog {
  _id: string;
}

/**
 * Job records in MongoDB (FerretDB v1 too): one document per job, written only by the replica that
 * runs it (and, once that one is gone, by the replica that declares it interrupted). The "ended is
 * final" rule is the update's filter (state still queued or running). Cancel requests, the one
 * write other replicas make, are inserts into their own collection: FerretDB v1 applies an update
 * as read, change, write back, so a cancel set on the job's document could be lost to a progress
 * write at the same moment.
 */
export class MongoJobRecords implements JobRecordStore {
  constructor(
    private readonly jobs: Collection<JobDoc>,
    private readonly logs: Collection<JobLogDoc>,
    private readonly cancels: Collection<JobCancelDoc>,
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
    if (!doc) return undefined;
    return recordOf(doc, (await this.guard(() => this.cancels.countDocuments({ _id: id }))) > 0);
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
    const cancelled = new Set((await this.guard(() => this.cancels.find({ _id: { $in: docs.map((d) => d._id) } }).toArray())).map((c) => c._id));
    return docs.map((doc) => recordOf(doc, cancelled.has(doc._id)));
  }

  async requestCancel(id: string): Promise<void> {
    try {
      await this.guard(() => this.cancels.insertOne({ _id: id }));
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // asked before: once is enough
    }
  }

  async putLog(id: string, log: JobLog): Promise<void> {
    await this.guard(() => this.logs.replaceOne({ _id: id }, { lines: log.lines, dropped: log.dropped }, { upsert: true }));
  }

  async getLog(id: string): Promise<JobLog | undefined> {
    const doc = await this.guard(() => this.logs.findOne({ _id: id }));
    return doc ? { lines: doc.lines, dropped: doc.dropped } : undefined;
  }
}

function recordOf(doc: JobDoc, cancelRequested: boolean): JobRecord {
  return { job: doc.job, holder: doc.holder, cancelRequested };
}
