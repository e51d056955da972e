import { existsSync } from 'node:fs';
import { open } from 'lmdb';
import type { RegistryStore } from '../storage/registry-store.js';
import { newHolderId, withLease, type LeaseOptions } from './lease.js';

/**
 * Where incremental work left off (materialization, SQL pulls), keyed by a caller-chosen name, kept
 * in the registry role so every replica on the shared backends sees the same one. A watermark only
 * moves after the work up to it has been written, so a crash means redoing a little idempotent
 * work, never skipping any; and the work that moves a watermark runs in one replica at a time
 * (`exclusive`, a lease of the same name), so none is done twice.
 */
export class WatermarkStore {
  /** This process as a lease holder. */
  readonly holder = newHolderId();

  constructor(
    private readonly registry: RegistryStore,
    /** How long a lease lasts unrenewed (replicaLeaseSeconds). */
    private readonly leaseTtlMs?: number,
  ) {}

  get(name: string): Promise<number | string | undefined> {
    return this.registry.getState(stateName(name));
  }

  set(name: string, value: number | string): Promise<void> {
    return this.registry.setState(stateName(name), value);
  }

  /** Runs `work` holding the watermark's lease: waits while another replica runs the same work. */
  exclusive<T>(name: string, options: LeaseOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withLease(this.registry, stateName(name), this.holder, { ...(this.leaseTtlMs ? { ttlMs: this.leaseTtlMs } : {}), ...options }, work);
  }

  /**
   * Copies the watermarks an earlier release kept in the data folder (`state.lmdb`) into the
   * registry where it has none of that name, so an upgrade resumes where the pulls left off.
   */
  async importLegacy(path: string): Promise<number> {
    if (!existsSync(path)) return 0;
    const legacy = open<{ value: number | string }, string>({ path, compression: false, readOnly: true });
    let imported = 0;
    try {
      for (const { key, value } of legacy.getRange()) {
        if (typeof key !== 'string' || (await this.get(key)) !== undefined) continue;
        await this.set(key, value.value);
        imported++;
      }
    } finally {
      await legacy.close();
    }
    return imported;
  }
}

function stateName(name: string): string {
  return `watermark:${name}`;
}
