import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors/app-error.js';
import type { RegistryStore } from '../storage/registry-store.js';

/** How long a lease lives without renewal: a dead replica's work is taken over after this. */
export const LEASE_TTL_MS = 30_000;
/** How often a taker that found the lease held asks again. */
const RETRY_MS = 1000;

/** This process's name as a lease holder: host, pid and a random part (a restarted pid is another holder). */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export interface LeaseOptions {
  /** Cancels the wait for the lease (FSTORE_CANCELLED) and the work (its signal aborts). */
  signal: AbortSignal;
  /** Told once when another holder has the lease and the work waits. */
  onWait?: () => void;
  ttlMs?: number;
}

/**
 * Runs `work` while holding the lease `name` in the registry role, so that of every replica on the
 * shared backends one at a time runs it: waits while another holder has it, renews it every third
 * of its ttl, and aborts the work's signal if a renewal fails (the lease may have moved on), so
 * nothing is committed by a holder that lost it. Released at the end, whatever happened.
 */
export async function withLease<T>(store: RegistryStore, name: string, holder: string, options: LeaseOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  let told = false;
  while (!(await store.acquireLease(name, holder, ttlMs))) {
    if (!told) options.onWait?.();
    told = true;
    await pause(RETRY_MS, options.signal);
  }
  const lost = new AbortController();
  const signal = AbortSignal.any([options.signal, lost.signal]);
  const renewal = setInterval(() => {
    store.acquireLease(name, holder, ttlMs).then(
      (held) => held || lost.abort(new AppError('FSTORE_BACKEND_UNAVAILABLE', `The lease '${name}' was lost to another replica; nothing more is written`)),
      (err: unknown) => lost.abort(err),
    );
  }, Math.max(1, Math.floor(ttlMs / 3)));
  try {
    return await work(signal);
  } finally {
    clearInterval(renewal);
    await store.releaseLease(name, holder).catch(() => undefined);
  }
}

/** Waits `ms`, or throws FSTORE_CANCELLED as soon as `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new AppError('FSTORE_CANCELLED', 'Cancelled while waiting for another replica to finish the same work; nothing was written');
  }
}
