import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { isTerminal, type Job, type JobKind, type JobLogs, type JobProgress } from '../../../shared/api/jobs.js';
import { AppError, BackendUnavailableError } from '../errors/app-error.js';

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

const PERSIST_EVERY_MS = 250;
const MAX_CONCURRENT = 2;
const LOG_LINES_KEPT = 2000;
const ID = /^[0-9a-f-]{36}$/;

interface LogBuffer {
  lines: string[];
  dropped: number;
}

/**
 * Runs long operations as jobs: queued, bounded concurrency, progress with throughput, cancel,
 * live events. Job records live in LMDB in the data folder, so after a crash or kill -9 the next
 * start reports every job that was running as failed, saying what was and was not committed.
 */
export class JobService {
  private readonly db: RootDatabase<Job, string>;
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, AbortController>();
  private readonly queue: { id: string; run: JobRun; cleanup?: () => Promise<void> }[] = [];
  /** Logs of running jobs; written to `logsDir` when the job ends. */
  private readonly liveLogs = new Map<string, LogBuffer>();
  private active = 0;
  private closed = false;

  constructor(
    path: string,
    private readonly logsDir: string = `${path}-logs`,
  ) {
    mkdirSync(logsDir, { recursive: true });
    this.db = open<Job, string>({ path, compression: false });
    this.events.setMaxListeners(0);
    this.recoverInterrupted();
  }

  submit(kind: JobKind, title: string, params: Record<string, unknown>, actor: string, run: JobRun, cleanup?: () => Promise<void>): Job {
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
    this.save(job);
    this.queue.push({ id: job.id, run, ...(cleanup ? { cleanup } : {}) });
    this.pump();
    return job;
  }

  get(id: string): Job {
    const job = this.db.get(id);
    if (!job) throw new AppError('FSTORE_JOB_NOT_FOUND', `Job '${id}' does not exist`);
    return job;
  }

  list(filter: { state?: string; kind?: string; limit?: number } = {}): Job[] {
    const jobs: Job[] = [];
    for (const { value } of this.db.getRange()) {
      if (filter.state && value.state !== filter.state) continue;
      if (filter.kind && value.kind !== filter.kind) continue;
      jobs.push(value);
    }
    jobs.sort((a, b) => b.created_at.localeCompare(a.created_at));
    return jobs.slice(0, filter.limit ?? 100);
  }

  cancel(id: string): Job {
    const job = this.get(id);
    if (isTerminal(job.state)) return job;
    const controller = this.running.get(id);
    if (controller) {
      controller.abort();
      return job; // the run observes the signal and ends as cancelled
    }
    const index = this.queue.findIndex((q) => q.id === id);
    const [entry] = index >= 0 ? this.queue.splice(index, 1) : [];
    void entry?.cleanup?.();
    return this.finish(job, 'cancelled', null, { code: 'FSTORE_CANCELLED', message: 'Cancelled before it started' });
  }

  /** The job's log: live while it runs, from its log file once it ended (empty when it printed nothing). */
  logs(id: string): JobLogs {
    this.get(id);
    const live = this.liveLogs.get(id);
    if (live) return { job_id: id, lines: [...live.lines], truncated: live.dropped > 0 };
    // Ids reach the file system only after get() found them, and only in our UUID form.
    if (!ID.test(id)) return { job_id: id, lines: [], truncated: false };
    try {
      const stored = JSON.parse(readFileSync(join(this.logsDir, `${id}.json`), 'utf8')) as LogBuffer;
      return { job_id: id, lines: stored.lines, truncated: stored.dropped > 0 };
    } catch {
      return { job_id: id, lines: [], truncated: false };
    }
  }

  /** Calls `listener` with every change of the job until it ends; returns an unsubscribe function. */
  subscribe(id: string, listener: (job: Job) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  /** Resolves when the job reaches a terminal state (for tests and the synchronous API). */
  async waitFor(id: string): Promise<Job> {
    const current = this.get(id);
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

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.running.values()) controller.abort();
    await this.db.close();
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
    const controller = new AbortController();
    this.running.set(id, controller);
    const started = Date.now();
    let job = this.save({ ...this.get(id), state: 'running', started_at: new Date(started).toISOString(), progress: { ...this.get(id).progress, phase: 'starting' } });
    let lastSaved = 0;
    // The largest total any phase reported: what "done" means in rows at the end.
    let knownTotal: number | null = null;
    const logBuffer: LogBuffer = { lines: [], dropped: 0 };
    this.liveLogs.set(id, logBuffer);
    const ctx: JobContext = {
      id,
      signal: controller.signal,
      log: (line) => {
        logBuffer.lines.push(line);
        if (logBuffer.lines.length > LOG_LINES_KEPT) {
          logBuffer.lines.shift();
          logBuffer.dropped++;
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
        const saved = this.db.get(id)?.progress;
        // A new phase, and the first rows of a phase, show at once; then at most every PERSIST_EVERY_MS.
        if (now - lastSaved >= PERSIST_EVERY_MS || phase !== saved?.phase || (saved.rows_done === 0 && rowsDone > 0)) {
          lastSaved = now;
          this.save(job);
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
      this.running.delete(id);
      this.storeLog(id, logBuffer);
    }
  }

  private storeLog(id: string, buffer: LogBuffer): void {
    try {
      if (buffer.lines.length > 0 && !this.closed) writeFileSync(join(this.logsDir, `${id}.json`), JSON.stringify(buffer));
    } finally {
      this.liveLogs.delete(id);
    }
  }

  private finish(job: Job, state: Job['state'], result: Record<string, unknown> | null, error: Job['error']): Job {
    if (this.closed) return job;
    const current = this.db.get(job.id) ?? job;
    return this.save({ ...current, progress: job.progress, state, result, error, finished_at: new Date().toISOString() });
  }

  private save(job: Job): Job {
    this.db.putSync(job.id, job);
    this.events.emit(job.id, job);
    return job;
  }

  private recoverInterrupted(): void {
    for (const { value: job } of this.db.getRange()) {
      if (isTerminal(job.state)) continue;
      this.db.putSync(job.id, {
        ...job,
        state: 'failed',
        finished_at: new Date().toISOString(),
        error: { code: 'FSTORE_INTERRUPTED', message: interruptedMessage(job) },
      });
    }
  }
}

/** What a job that was running when the service stopped did and did not leave behind. */
function interruptedMessage(job: Job): string {
  const phase = job.progress.phase;
  if (job.kind === 'materialize') {
    return `The service stopped while materializing (during '${phase}'); the online store may hold part of the new values (never an older one than before) and the incremental watermark did not move. Re-run it to finish (it is idempotent).`;
  }
  if (phase === 'writing online') {
    return 'The service stopped while the online store was being updated; the offline history was committed. Re-run the job to refresh the online values (it is idempotent).';
  }
  return `The service stopped during '${phase}'; nothing of this job was committed. Re-run it.`;
}
