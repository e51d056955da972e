import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LmdbRegistryStore } from '../src/storage/embedded/lmdb-registry-store.js';
import type { RegistryStore } from '../src/storage/registry-store.js';
import { withLease } from '../src/state/lease.js';
import { WatermarkStore } from '../src/state/watermark-store.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Watermarks and the work that moves them, as replicas sharing one registry see them. */
describe('watermarks and leases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fstore-lease-'));
  let registry: LmdbRegistryStore;
  beforeAll(() => {
    registry = new LmdbRegistryStore(join(dir, 'registry.lmdb'));
  });
  afterAll(() => registry.close());

  it('runs the same work in one replica at a time: the second waits (told once), then runs', async () => {
    const [a, b] = [new WatermarkStore(registry), new WatermarkStore(registry)];
    expect(a.holder).not.toBe(b.holder);
    const events: string[] = [];
    let waits = 0;
    const job = (who: string, ms: number) => async () => {
      events.push(`${who} start`);
      await pause(ms);
      events.push(`${who} end`);
      return who;
    };
    const first = a.exclusive('pull:x', { signal: new AbortController().signal }, job('a', 1500));
    await pause(50);
    const second = b.exclusive('pull:x', { signal: new AbortController().signal, onWait: () => waits++ }, job('b', 10));
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(waits).toBe(1);
  });

  it('renews the lease while the work runs, so nobody takes it over mid-way', async () => {
    const signal = new AbortController().signal;
    const taken: boolean[] = [];
    await withLease(registry, 'long', 'holder-1', { signal, ttlMs: 600 }, async (work) => {
      for (let i = 0; i < 5; i++) {
        await pause(400); // past the ttl by the end: only renewals keep it
        taken.push(await registry.acquireLease('long', 'holder-2', 600));
      }
      expect(work.aborted).toBe(false);
    });
    expect(taken).toEqual([false, false, false, false, false]);
    expect(await registry.acquireLease('long', 'holder-2', 300)).toBe(true); // released at the end
  });

  it('aborts the work when a renewal finds the lease lost, and cancels a wait', async () => {
    // A collaborator whose renewals fail (as when the lease expired and another replica took it).
    let calls = 0;
    const losing: RegistryStore = Object.create(registry, {
      acquireLease: { value: async (...args: Parameters<RegistryStore['acquireLease']>) => (calls++ === 0 ? registry.acquireLease(...args) : false) },
    });
    const aborted = await withLease(losing, 'lost', 'h', { signal: new AbortController().signal, ttlMs: 150 }, async (work) => {
      await pause(400);
      return work.aborted;
    });
    expect(aborted).toBe(true);

    expect(await registry.acquireLease('busy', 'other', 60_000)).toBe(true);
    const cancel = new AbortController();
    const waiting = withLease(registry, 'busy', 'me', { signal: cancel.signal }, async () => 'ran');
    await pause(100);
    cancel.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'FSTORE_CANCELLED' });
  });

  it('keeps watermarks in the registry, and imports those an earlier release kept in the data folder', async () => {
    const legacyPath = join(dir, 'state.lmdb');
    const legacy = open<{ value: number | string; updated_at: string }, string>({ path: legacyPath, compression: false });
    await legacy.put('sql:old', { value: '2025-03-01T00:00:00Z', updated_at: '2025-03-01T00:00:00Z' });
    await legacy.put('materialize:u:g', { value: 1234, updated_at: '2025-03-01T00:00:00Z' });
    await legacy.close();
    const store = new WatermarkStore(registry);
    await store.set('materialize:u:g', 99); // newer than the legacy copy: kept
    expect(await store.importLegacy(legacyPath)).toBe(1);
    expect(await store.get('sql:old')).toBe('2025-03-01T00:00:00Z');
    expect(await store.get('materialize:u:g')).toBe(99);
    expect(await new WatermarkStore(registry).get('sql:old')).toBe('2025-03-01T00:00:00Z'); // another replica sees it
    expect(await store.importLegacy(join(dir, 'absent.lmdb'))).toBe(0);
  });
});
