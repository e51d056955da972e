/**
 * The bound on user SQL. `@duckdb/node-api` runs every query as async work on libuv's threadpool
 * (4 threads unless UV_THREADPOOL_SIZE says otherwise), which also does the service's own DuckDB
 * queries (training, ingestion) and its file reads (the web UI's static files). A query that never
 * ends holds its thread for good, so without a bound four of them stop everything but the pure
 * in-memory routes. Here at most `sessions` user-SQL sessions run at once; previews wait in a
 * bounded queue for a bounded time (then 503), runs (jobs) wait until cancelled. Each granted lease
 * carries a signal that aborts when its caller leaves or cancels, its time limit passes, or the
 * service stops; the session interrupts its DuckDB connection on that signal.
 */
import {
  cancelledError,
  queueFullError,
  queueWaitError,
  shuttingDownError,
  timeLimitError,
  type UserSqlKind,
  type UserSqlLimits,
} from './user-sql-limits.js';

export interface UserSqlLease {
  /** Aborted with the AppError saying why the SQL must stop. */
  readonly signal: AbortSignal;
  /** Frees the slot; safe to call more than once. */
  release(): void;
}

interface Waiter {
  kind: UserSqlKind;
  grant(): void;
  reject(err: Error): void;
}

/** How long close() waits for interrupted sessions to end before it gives up on them. */
const CLOSE_WAIT_MS = 3000;

export class UserSqlPool {
  /** Slots taken: granted leases, including ones handed to a waiter that has not resumed yet. */
  private taken = 0;
  private readonly queue: Waiter[] = [];
  private readonly leases = new Set<{ stop(reason: Error): void }>();
  private readonly emptied: (() => void)[] = [];
  private closed = false;

  constructor(readonly limits: UserSqlLimits) {}

  get running(): number {
    return this.taken;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** A slot for one session of `kind`; rejects with FSTORE_TRANSFORM_BUSY, FSTORE_CANCELLED or FSTORE_SHUTTING_DOWN. */
  async acquire(kind: UserSqlKind, caller?: AbortSignal): Promise<UserSqlLease> {
    if (this.closed) throw shuttingDownError();
    if (caller?.aborted) throw cancelledError(kind);
    if (this.taken < this.limits.sessions && this.queue.length === 0) this.taken++;
    else await this.wait(kind, caller);
    return this.lease(kind, caller);
  }

  /** Interrupts every session and refuses new ones; resolves once they ended (or after CLOSE_WAIT_MS). */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(shuttingDownError());
    for (const lease of [...this.leases]) lease.stop(shuttingDownError());
    if (this.leases.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      timer.unref();
      this.emptied.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wait(kind: UserSqlKind, caller: AbortSignal | undefined): Promise<void> {
    if (kind === 'preview' && this.queue.filter((w) => w.kind === 'preview').length >= this.limits.queueLength) {
      return Promise.reject(queueFullError(this.limits));
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (err: Error) => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        settle();
        reject(err);
      };
      const onCallerAbort = () => leave(cancelledError(kind));
      const settle = () => {
        clearTimeout(timer);
        caller?.removeEventListener('abort', onCallerAbort);
      };
      const waiter: Waiter = {
        kind,
        grant: () => {
          settle();
          resolve();
        },
        reject: (err) => {
          settle();
          reject(err);
        },
      };
      this.queue.push(waiter);
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      if (kind === 'preview') {
        timer = setTimeout(() => leave(queueWaitError(this.limits)), this.limits.queueWaitMs);
        timer.unref();
      }
    });
  }

  private lease(kind: UserSqlKind, caller: AbortSignal | undefined): UserSqlLease {
    const controller = new AbortController();
    const stop = (reason: Error) => {
      if (!controller.signal.aborted) controller.abort(reason);
    };
    const onCallerAbort = () => stop(cancelledError(kind));
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    // The caller may have left between the hand-over and now; a listener added late never fires.
    if (caller?.aborted) onCallerAbort();
    const limitMs = kind === 'preview' ? this.limits.previewTimeoutMs : this.limits.runTimeoutMs;
    const timer = limitMs > 0 ? setTimeout(() => stop(timeLimitError(kind, limitMs)), limitMs) : undefined;
    timer?.unref();
    const entry = { stop };
    this.leases.add(entry);
    let released = false;
    return {
      signal: controller.signal,
      release: () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        caller?.removeEventListener('abort', onCallerAbort);
        this.leases.delete(entry);
        this.taken--;
        this.handOver();
        if (this.leases.size === 0) for (const done of this.emptied.splice(0)) done();
      },
    };
  }

  /** Gives free slots to the longest-waiting callers, in order. */
  private handOver(): void {
    while (!this.closed && this.taken < this.limits.sessions && this.queue.length > 0) {
      this.taken++;
      this.queue.shift()!.grant();
    }
  }
}
