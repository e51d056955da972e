/** The user-SQL pool's rules on their own (no DuckDB): order, bounds, stops and reasons. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/errors/app-error.js';
import type { UserSqlLimits } from '../src/transforms/user-sql-limits.js';
import { UserSqlPool } from '../src/transforms/user-sql-pool.js';

const LIMITS: UserSqlLimits = {
  sessions: 1,
  queueLength: 2,
  queueWaitMs: 60_000,
  previewTimeoutMs: 60_000,
  runTimeoutMs: 0,
  threads: 1,
  memoryLimit: '1GB',
  tempDirectoryLimit: '1GB',
};

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (err: unknown) => (err instanceof AppError ? err.code : String(err)),
  );
const reasonCode = (signal: AbortSignal) => (signal.reason instanceof AppError ? signal.reason.code : undefined);

describe('UserSqlPool', () => {
  it('hands slots over in arrival order, runs included, and counts running and waiting', async () => {
    const pool = new UserSqlPool(LIMITS);
    const first = await pool.acquire('preview');
    const order: string[] = [];
    const second = pool.acquire('run').then((l) => (order.push('run'), l));
    const third = pool.acquire('preview').then((l) => (order.push('preview'), l));
    expect([pool.running, pool.waiting]).toEqual([1, 2]);
    first.release();
    (await second).release();
    (await third).release();
    expect(order).toEqual(['run', 'preview']);
    expect([pool.running, pool.waiting]).toEqual([0, 0]);
  });

  it('refuses a preview past userSqlQueueLength at once, but never a run', async () => {
    const pool = new UserSqlPool({ ...LIMITS, queueLength: 1 });
    const held = await pool.acquire('preview');
    const waiting = pool.acquire('preview');
    expect(await codeOf(pool.acquire('preview'))).toBe('FSTORE_TRANSFORM_BUSY');
    const run = pool.acquire('run');
    expect(pool.waiting).toBe(2);
    held.release();
    (await waiting).release();
    (await run).release();
  });

  it('a preview waiting longer than userSqlQueueWaitMs is refused and leaves the queue', async () => {
    const pool = new UserSqlPool({ ...LIMITS, queueWaitMs: 50 });
    const held = await pool.acquire('preview');
    expect(await codeOf(pool.acquire('preview'))).toBe('FSTORE_TRANSFORM_BUSY');
    expect(pool.waiting).toBe(0);
    held.release();
  });

  it('a waiting caller that leaves is dropped; one that leaves as its slot is handed over stops its lease at once', async () => {
    const pool = new UserSqlPool(LIMITS);
    const held = await pool.acquire('preview');
    const gone = new AbortController();
    const dropped = pool.acquire('preview', gone.signal);
    gone.abort();
    expect(await codeOf(dropped)).toBe('FSTORE_CANCELLED');
    expect(pool.waiting).toBe(0);

    const late = new AbortController();
    const next = pool.acquire('run', late.signal);
    held.release(); // the slot is handed over here ...
    late.abort(); // ... and the caller leaves before the hand-over resumes it
    const lease = await next;
    expect(reasonCode(lease.signal)).toBe('FSTORE_CANCELLED');
    lease.release();
    expect(pool.running).toBe(0);
  });

  it('stops a lease at its time limit with FSTORE_TRANSFORM_TIMEOUT; a released lease is never stopped', async () => {
    const pool = new UserSqlPool({ ...LIMITS, previewTimeoutMs: 30 });
    const lease = await pool.acquire('preview');
    await new Promise((r) => setTimeout(r, 80));
    expect(reasonCode(lease.signal)).toBe('FSTORE_TRANSFORM_TIMEOUT');
    lease.release();
    const quick = await pool.acquire('preview');
    quick.release();
    await new Promise((r) => setTimeout(r, 80));
    expect(quick.signal.aborted).toBe(false);
  });

  it('close() stops every lease and waiter with FSTORE_SHUTTING_DOWN, waits for them, and refuses new ones', async () => {
    const pool = new UserSqlPool(LIMITS);
    const lease = await pool.acquire('run');
    const waiter = codeOf(pool.acquire('preview'));
    lease.signal.addEventListener('abort', () => setTimeout(() => lease.release(), 20));
    await pool.close();
    expect(reasonCode(lease.signal)).toBe('FSTORE_SHUTTING_DOWN');
    expect(pool.running).toBe(0);
    expect(await waiter).toBe('FSTORE_SHUTTING_DOWN');
    expect(await codeOf(pool.acquire('preview'))).toBe('FSTORE_SHUTTING_DOWN');
  });
});
