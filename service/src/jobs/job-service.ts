import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { isTerminal, type Job, type JobKind, type JobLogs, type JobProgress } from '@shared/api/jobs.js';
import { AppError, BackendUnavailableError } from '../errors/app-error.js';
import { LEASE_TTL_MS, newHolderId } from '../state/lease.js';
import type { JobFilter, JobLog } from '../storage/job-records.js';
import type { RegistryStore } from '../storage/registry-store.js';
import { interrupted } from './interrupted.js';
import { claimDeadHolder, replicaLease } from './replica-liveness.js';

export interface JobContext {
  /** The job's id (for links to what it produces). */
  id: string;
  signal: AbortSignal;
  /** Reports progress; persisted and broadcast at most every PERSIST_EVERY_MS. */
  progress(update: { phase: string; rowsDone: number; rowsTotal: number | null }): void;
  /** Keeps a line of the job's log (what an engine such as Spark prints); the last LOG_LINES_KEPT are kept. */
  log(line: string): void;
}

export type JobRun = (ctx: JobContext) => Promise<Record<string, unknown>>;

export interface JobServiceOptions {
  /** This replica as a lease holder (default: a new id). */
  holder?: string;
  /** How long this replica's lease lives unrenewed: its jobs count as interrupted after that. */
  leaseTtlMs?: number;
}

const PERSIST_EVERY_MS = 250;
const LOG_PERSIST_EVERY_MS = 2000;
/** How often a replica looks for cancel requests made through another replica. */
const CANCEL_POLL_MS = 500;
/** How often a follower of a job that runs on another replica reads its record. */
const FOLLOW_POLL_MS = 500;
const MAX_CONCURRENT = 2;
const LOG_LINES_KEPT = 2000;
const FINAL_WRITE_ATTEMPTS = 5;

interface Local {
  /** The job as last saved by this replica. */
  job: Job;
  controller?: AbortController;
  log: JobLog;
  /** Writes of this job's record, in order, so a late progress write never lands after its end. */
  writes: Promise<unknown>;
}

/**
 * Runs long operations as jobs: queued, bounded concurrency, progress with throughput, cancel,
 * live events. Job records live in the registry role, so every replica on the shared backends lists,
 * follows and cancels every job; each job runs in the replica it was submitted to. That replica
 * holds a lease while it lives: when it dies (kill -9, a lost machine), the lease lapses and another
 * replica (or the next start, for the embedded store) reports its unfinished jobs as failed, saying
 * what was and was not committed.
 */
export class JobService {
  readonly holder: string;
  private readonly events = new EventEmitter();
  private readonly local = new Map<string, Local>();
  private readonly queue: { id: string; run: JobRun; cleanup?: () => Promise<void> }[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly ttlMs: number;
  private active = 0;
  private closed = false;

  private constructor(
    private readonly store: RegistryStore,
    options: JobServiceOptions,
  ) {
    this.holder = options.holder ?? newHolderId();
    this.ttlMs = options.leaseTtlMs ?? LEASE_TTL_MS;
    this.events.setMaxListeners(0);
  }

  /** Takes this replica's lease and reports jobs of processes that are gone as interrupted. */
  static async open(store: RegistryStore, options: JobServiceOptions = {}): Promise<JobService> {
    const service = new JobService(store, options);
    await store.acquireLease(replicaLease(service.holder), service.holder, service.ttlMs);
    await service.recoverOrphans();
    service.every(Math.max(1, Math.floor(service.ttlMs / 3)), () => service.heartbeat());
    if (store.sharedByReplicas) service.every(CANCEL_POLL_MS, () => service.pollCancelRequests());
    return service;
  }

  async submit(kind: JobKind, title: string, params: Record<string, unknown>, actor: string, run: JobRun, cleanup?: () => Promise<void>): Promise<Job> {
    const job: Job = {
      id: randomUUID(),
      kind,
      state: 'queued',
      title,
      params,
      progress: { phase: 'queued', rows_done: 0, rows_total: null, rows_per_second: 0 },
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      created_by: actor,
      error: null,
      result: null,
    };
    this.local.set(job.id, { job, log: { lines: [], dropped: 0 }, writes: Promise.resolve() });
    try {
      await this.store.jobs.put(job, this.holder);
    } catch (err) {
      this.local.delete(job.id);
      await cleanup?.();
      throw err;
    }
    this.queue.push({ id: job.id, run, ...(cleanup ? { cleanup } : {}) });
    this.pump();
    return job;
  }

  async get(id: string): Promise<Job> {
    const record = await this.store.jobs.get(id);
    if (!record) throw new AppError('FSTORE_JOB_NOT_FOUND', `Job '${id}' does not exist`);
    return record.job;
  }

  async list(filter: JobFilter = {}): Promise<Job[]> {
    return (await this.store.jobs.list({ ...filter, limit: filter.limit ?? 100 })).map((r) => r.job);
  }

  /** Cancels a queued or running job, whichever replica runs it (there it ends as cancelled). */
  async cancel(id: string): Promise<Job> {
    const job = await this.get(id);
    if (isTerminal(job.state)) return job;
    if (this.cancelLocally(id)) {
      await this.local.get(id)?.writes;
      return (await this.store.jobs.get(id))?.job ?? job;
    }
    await this.store.jobs.requestCancel(id);
    return job;
  }

  /** The job's log: live while it runs here, else as last stored (every few seconds while it runs elsewhere). */
  async logs(id: string): Promise<JobLogs> {
    await this.get(id);
    const log = this.local.get(id)?.log ?? (await this.store.jobs.getLog(id)) ?? { lines: [], dropped: 0 };
    return { job_id: id, lines: [...log.lines], truncated: log.dropped > 0 };
  }

  /**
   * Calls `listener` with every change of the job until it ends; returns an unsubscribe function.
   * A job this replica runs is followed through its events, one running elsewhere by reading its
   * record every FOLLOW_POLL_MS; either way the record is read once at the start, so a change made
   * between the caller's read and this call is not missed.
   */
  subscribe(id: string, listener: (job: Job) => void): () => void {
    let last = '';
    let stopped = false;
    const deliver = (job: Job) => {
      const text = JSON.stringify(job);
      if (stopped || text === last) return;
      last = text;
      listener(job);
    };
    const read = () =>
      void this.store.jobs.get(id).then(
        (record) => record && deliver(record.job),
        () => undefined, // the registry is briefly unreachable: the next read tries again
      );
    this.events.on(id, deliver);
    read();
    const poll = this.local.has(id) ? undefined : setInterval(read, FOLLOW_POLL_MS);
    poll?.unref();
    return () => {
      stopped = true;
      clearInterval(poll);
      this.events.off(id, deliver);
    };
  }

  /** Resolves when the job reaches a terminal state (for tests and the synchronous API). */
  async waitFor(id: string): Promise<Job> {
    const current = await this.get(id);
    if (isTerminal(current.state)) return current;
    return new Promise((resolve) => {
      const off = this.subscribe(id, (job) => {
        if (isTerminal(job.state)) {
          off();
          resolve(job);
        }
      });
    });
  }

  /** Stops this replica's jobs unrecorded (the next start, or another replica, reports them interrupted). */
  async close(): Promise<void> {
    this.closed = true;
    this.timers.forEach(clearInterval);
    for (const local of this.local.values()) local.controller?.abort();
    await this.store.releaseLease(replicaLease(this.holder), this.holder).catch(() => undefined);
  }

  private every(ms: number, tick: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.closed) return;
      busy = true;
      void tick()
        .catch(() => undefined) // the registry is briefly unreachable: the next tick tries again
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** Renews this replica's lease (if another replica took it, this one's jobs were declared dead: stop them), then sweeps. */
  private async heartbeat(): Promise<void> {
    const held = await this.store.acquireLease(replicaLease(this.holder), this.holder, this.ttlMs);
    if (!held) {
      for (const local of this.local.values()) local.controller?.abort();
    }
    await this.recoverOrphans();
  }

  /**
   * Reports unfinished jobs of holders that are gone as interrupted. With a store only this process
   * uses, every other holder is a previous run of this service; with a shared one, a holder is gone
   * once its replica lease lapsed (or its process is dead on this host).
   */
  private async recoverOrphans(): Promise<void> {
    const byHolder = new Map<string, Job[]>();
    for (const { job, holder } of await this.store.jobs.list({ unfinished: true, limit: 1000 })) {
      if (holder === this.holder) continue;
      byHolder.set(holder, [...(byHolder.get(holder) ?? []), job]);
    }
    for (const [holder, jobs] of byHolder) {
      if (!this.store.sharedByReplicas) {
        for (const job of jobs) await this.store.jobs.put(interrupted(job), holder);
        continue;
      }
      const claim = await claimDeadHolder(this.store, holder, this.holder, this.ttlMs);
      if (!claim) continue;
      try {
        for (const job of jobs) await this.store.jobs.put(interrupted(job, `The replica ${holder}`), holder);
      } finally {
        await claim.release();
      }
    }
  }

  private async pollCancelRequests(): Promise<void> {
    if (this.local.size === 0) return;
    for (const id of [...this.local.keys()]) {
      if ((await this.store.jobs.get(id))?.cancelRequested) this.cancelLocally(id);
    }
  }

  /** Cancels a job this replica runs or has queued; false when it is not one of them. */
  private cancelLocally(id: string): boolean {
    const local = this.local.get(id);
    if (!local) return false;
    if (local.controller) {
      local.controller.abort(); // the run observes the signal and ends as cancelled
      return true;
    }
    const index = this.queue.findIndex((q) => q.id === id);
    if (index < 0) return false;
    const [entry] = this.queue.splice(index, 1);
    void entry?.cleanup?.();
    this.finish(local.job, 'cancelled', null, { code: 'FSTORE_CANCELLED', message: 'Cancelled before it started' });
    void local.writes.then(() => this.local.delete(id));
    return true;
  }

  private pump(): void {
    while (!this.closed && this.active < MAX_CONCURRENT && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.active++;
      void this.execute(next.id, next.run)
        .finally(() => next.cleanup?.())
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }

  private async execute(id: string, run: JobRun): Promise<void> {
    const local = this.local.get(id)!;
    const controller = (local.controller = new AbortController());
    const started = Date.now();
    const queued = local.job;
    let job = this.save({ ...queued, state: 'running', started_at: new Date(started).toISOString(), progress: { ...queued.progress, phase: 'starting' } });
    let saved = job.progress;
    let lastSaved = 0;
    let lastLogSaved = 0;
    let logChanged = false;
    // The largest total any phase reported: what "done" means in rows at the end.
    let knownTotal: number | null = null;
    const ctx: JobContext = {
      id,
      signal: controller.signal,
      log: (line) => {
        local.log.lines.push(line);
        logChanged = true;
        if (local.log.lines.length > LOG_LINES_KEPT) {
          local.log.lines.shift();
          local.log.dropped++;
        }
      },
      progress: ({ phase, rowsDone, rowsTotal }) => {
        if (rowsTotal !== null) knownTotal = Math.max(knownTotal ?? 0, rowsTotal);
        const elapsed = (Date.now() - started) / 1000;
        const progress: JobProgress = {
          phase,
          rows_done: rowsDone,
          rows_total: rowsTotal,
          rows_per_second: elapsed > 0 ? Math.round(rowsDone / elapsed) : 0,
        };
        job = { ...job, progress };
        const now = Date.now();
        // A new phase, and the first rows of a phase, show at once; then at most every PERSIST_EVERY_MS.
        if (now - lastSaved >= PERSIST_EVERY_MS || phase !== saved.phase || (saved.rows_done === 0 && rowsDone > 0)) {
          lastSaved = now;
          saved = progress;
          this.save(job);
        }
        if (logChanged && now - lastLogSaved >= LOG_PERSIST_EVERY_MS) {
          lastLogSaved = now;
          logChanged = false;
          this.saveLog(id, local);
        }
      },
    };
    try {
      const result = await run(ctx);
      const total = knownTotal ?? job.progress.rows_done;
      job = { ...job, progress: { ...job.progress, phase: 'done', rows_done: total, rows_total: total } };
      this.finish(job, 'succeeded', result, null);
    } catch (err) {
      const cancelled = controller.signal.aborted || (err instanceof AppError && err.code === 'FSTORE_CANCELLED');
      const error =
        err instanceof AppError
          ? { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) }
          : err instanceof BackendUnavailableError
            ? { code: 'FSTORE_BACKEND_UNAVAILABLE', message: `${err.backend} is unavailable: ${err.message}` }
            : { code: 'FSTORE_INTERNAL', message: (err as Error).message };
      this.finish(job, cancelled ? 'cancelled' : 'failed', null, error);
    } finally {
      if (local.log.lines.length > 0 && !this.closed) this.saveLog(id, local);
      await local.writes;
      this.local.delete(id);
    }
  }

  private finish(job: Job, state: Job['state'], result: Record<string, unknown> | null, error: Job['error']): void {
    if (this.closed) return;
    this.save({ ...job, state, result, error, finished_at: new Date().toISOString() });
  }

  /**
   * Writes the job's record after the ones before it, then tells its followers (so a follower that
   * reads the record back sees at least what it was told). A progress write that fails is skipped
   * (the next one carries newer figures); the final write is retried, since without it the job
   * would look running until this replica's lease lapses.
   */
  private save(job: Job): Job {
    const local = this.local.get(job.id);
    if (local) local.job = job;
    const attempts = isTerminal(job.state) ? FINAL_WRITE_ATTEMPTS : 1;
    const write = () =>
      retrying(() => this.store.jobs.put(job, this.holder), attempts)
        .catch(() => undefined)
        .then(() => this.events.emit(job.id, job));
    if (local) local.writes = local.writes.then(write);
    else void write();
    return job;
  }

  private saveLog(id: string, local: Local): void {
    const snapshot: JobLog = { lines: [...local.log.lines], dropped: local.log.dropped };
    local.writes = local.writes.then(() => this.store.jobs.putLog(id, snapshot).catch(() => undefined));
  }
}

async function retrying<T>(op: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
