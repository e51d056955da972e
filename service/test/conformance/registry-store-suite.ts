import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, VersionRecord } from '../../../shared/domain/schemas.js';
import { ConflictError } from '../../src/errors/app-error.js';
import type { RegistryCommit, RegistryStore } from '../../src/storage/registry-store.js';
import type { ApiKeyRecord } from '../../src/auth/api-key-record.js';

function commitOf(name: string, version: number, extra: Record<string, unknown> = {}, actor = 'tester'): RegistryCommit {
  const time = new Date(Date.now() + version).toISOString();
  const record: VersionRecord = {
    kind: 'feature',
    name,
    version,
    created_at: time,
    author: actor,
    action: version === 1 ? 'create' : 'update',
    summary: `v${version}`,
    changes: [],
    definition: { name, ...extra },
  };
  const audit: AuditEvent = {
    id: `${name}-${version}-${Math.random()}`,
    time,
    actor,
    action: 'feature.update',
    kind: 'feature',
    name,
    version_before: version - 1 || null,
    version_after: version,
  };
  return { kind: 'feature', doc: { name, version, ...extra }, expectedVersion: version - 1, version: record, audit };
}

/** The contract every registry adapter must meet: atomic, optimistic commits and ordered history. */
export function registryStoreConformance(name: string, open: () => Promise<RegistryStore>): void {
  describe(`RegistryStore conformance: ${name}`, () => {
    let store: RegistryStore;
    const prefix = `conf_${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('stores heads, versions and audit events', async () => {
      const n = `${prefix}_a`;
      await store.commit(commitOf(n, 1, { description: 'one' }));
      await store.commit(commitOf(n, 2, { description: 'two' }));
      expect(await store.get('feature', n)).toEqual({ name: n, version: 2, description: 'two' });
      expect((await store.listVersions('feature', n)).map((v) => v.version)).toEqual([1, 2]);
      expect((await store.getVersion('feature', n, 1))?.definition).toEqual({ name: n, description: 'one' });
      expect(await store.getVersion('feature', n, 3)).toBeUndefined();
      expect((await store.list('feature')).some((d) => d.name === n)).toBe(true);
      expect(await store.get('entity', n)).toBeUndefined();
      const audit = await store.listAudit({ name: n });
      expect(audit.map((a) => a.version_after)).toEqual([2, 1]); // newest first
    });

    it('keeps each kind apart: a feature service and a feature of one name have their own heads, versions and lists', async () => {
      const n = `${prefix}_model`;
      const asService = (version: number, features: string[]): RegistryCommit => {
        const base = commitOf(n, version, { features });
        return {
          ...base,
          kind: 'feature_service',
          version: { ...base.version, kind: 'feature_service' },
          audit: { ...base.audit, kind: 'feature_service', action: 'feature_service.update' },
        };
      };
      await store.commit(commitOf(n, 1, { value_type: 'INT' }));
      await store.commit(asService(1, ['a']));
      await store.commit(asService(2, ['a', 'b']));
      await expect(store.commit(asService(2, ['c']))).rejects.toBeInstanceOf(ConflictError);
      expect(await store.get('feature_service', n)).toEqual({ name: n, version: 2, features: ['a', 'b'] });
      expect(await store.get('feature', n)).toEqual({ name: n, version: 1, value_type: 'INT' });
      expect((await store.listVersions('feature_service', n)).map((v) => v.definition['features'])).toEqual([['a'], ['a', 'b']]);
      expect((await store.getVersion('feature_service', n, 2))?.kind).toBe('feature_service');
      expect((await store.list('feature_service')).filter((d) => d.name.startsWith(prefix)).map((d) => d.name)).toEqual([n]);
      expect((await store.listAudit({ kind: 'feature_service', name: n })).map((a) => a.version_after)).toEqual([2, 1]);
    });

    it('lists versions in numeric order past 9', async () => {
      const n = `${prefix}_many`;
      for (let v = 1; v <= 12; v++) await store.commit(commitOf(n, v));
      expect((await store.listVersions('feature', n)).map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    });

    it('rejects a create of an existing name and a stale update, storing nothing', async () => {
      const n = `${prefix}_b`;
      await store.commit(commitOf(n, 1));
      await expect(store.commit(commitOf(n, 1))).rejects.toBeInstanceOf(ConflictError);
      await store.commit(commitOf(n, 2));
      await expect(store.commit({ ...commitOf(n, 2), doc: { name: n, version: 2, lost: true } })).rejects.toBeInstanceOf(ConflictError);
      expect((await store.listVersions('feature', n)).length).toBe(2);
      expect((await store.get('feature', n))?.['lost']).toBeUndefined();
    });

    it('50 concurrent writers of one object: every commit either lands as its own version or conflicts', async () => {
      const n = `${prefix}_race`;
      await store.commit(commitOf(n, 1));
      let landed = 0;
      // Each writer retries from a fresh read until it lands, as a client would on 409.
      await Promise.all(
        Array.from({ length: 50 }, async (_, w) => {
          for (;;) {
            const head = (await store.get('feature', n))!;
            try {
              await store.commit(commitOf(n, head.version + 1, { writer: w }));
              landed++;
              return;
            } catch (err) {
              if (!(err instanceof ConflictError)) throw err;
            }
          }
        }),
      );
      const versions = await store.listVersions('feature', n);
      expect(landed).toBe(50);
      expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      const writers = versions.slice(1).map((v) => v.definition['writer']);
      expect(new Set(writers).size).toBe(50); // no update was silently lost
    });

    it('records audit events of operations, listed with the registry changes', async () => {
      const n = `${prefix}_operation`;
      const event: AuditEvent = {
        id: `${n}-1`,
        time: new Date().toISOString(),
        actor: 'ops',
        action: 'feature_group.ingest',
        kind: 'feature_group',
        name: n,
        version_before: null,
        version_after: null,
        details: { rows: 3 },
      };
      await store.recordAudit(event);
      expect(await store.listAudit({ kind: 'feature_group', name: n })).toEqual([event]);
    });

    it('filters audit events by actor and limit', async () => {
      const n = `${prefix}_audit`;
      await store.commit(commitOf(n, 1, {}, 'alice'));
      await store.commit(commitOf(n, 2, {}, 'bob'));
      const bob = await store.listAudit({ name: n, actor: 'bob' });
      expect(bob.map((a) => a.actor)).toEqual(['bob']);
      expect((await store.listAudit({ name: n, limit: 1 })).length).toBe(1);
    });

    it('stores API keys: put replaces by id, list is oldest first, touch changes last_used_at only', async () => {
      const key = (id: string, created: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
        id,
        name: `${prefix}_${id}`,
        role: 'reader',
        created_at: created,
        created_by: 'tester',
        last_used_at: null,
        expires_at: null,
        rotated_at: null,
        previous_secret_expires_at: null,
        revoked: false,
        revoked_at: null,
        secret_hash: 'a'.repeat(64),
        previous_secret_hash: null,
        ...extra,
      });
      const first = key(`${prefix}k1`, '2026-01-01T00:00:00.000Z');
      const second = key(`${prefix}k2`, '2026-01-02T00:00:00.000Z', { role: 'admin' });
      await store.putApiKey(second);
      await store.putApiKey(first);
      expect(await store.getApiKey(first.id)).toEqual(first);
      expect(await store.getApiKey(`${prefix}none`)).toBeUndefined();
      const mine = (await store.listApiKeys()).filter((k) => k.id.startsWith(prefix));
      expect(mine.map((k) => k.id)).toEqual([first.id, second.id]);

      const rotated = { ...second, secret_hash: 'b'.repeat(64), previous_secret_hash: 'a'.repeat(64), rotated_at: '2026-01-03T00:00:00.000Z' };
      await store.putApiKey(rotated);
      await store.touchApiKey(second.id, '2026-01-04T00:00:00.000Z');
      expect(await store.getApiKey(second.id)).toEqual({ ...rotated, last_used_at: '2026-01-04T00:00:00.000Z' });
      await store.touchApiKey(`${prefix}none`, '2026-01-04T00:00:00.000Z'); // a key revoked and gone: nothing to touch, no error
      expect(await store.getApiKey(`${prefix}none`)).toBeUndefined();
    });

    it('keeps shared state by name: numbers and text, replaced on set', async () => {
      expect(await store.getState(`${prefix}wm`)).toBeUndefined();
      await store.setState(`${prefix}wm`, 17);
      expect(await store.getState(`${prefix}wm`)).toBe(17);
      await store.setState(`${prefix}wm`, '2025-01-01T00:00:00Z');
      expect(await store.getState(`${prefix}wm`)).toBe('2025-01-01T00:00:00Z');
    });

    it('leases: one holder at a time, renewed by its holder, free once released or expired', async () => {
      const lease = `${prefix}lease`;
      const t = 1_800_000_000_000;
      expect(await store.acquireLease(lease, 'a', 1000, t)).toBe(true);
      expect(await store.acquireLease(lease, 'b', 1000, t + 10)).toBe(false); // a's lease is live
      expect(await store.acquireLease(lease, 'a', 1000, t + 900)).toBe(true); // renewed to t + 1900
      expect(await store.acquireLease(lease, 'b', 1000, t + 1500)).toBe(false);
      expect(await store.acquireLease(lease, 'b', 1000, t + 1901)).toBe(true); // expired: b takes it over
      expect(await store.acquireLease(lease, 'a', 1000, t + 1950)).toBe(false); // and a lost it
      await store.releaseLease(lease, 'a'); // not a's: nothing happens
      expect(await store.acquireLease(lease, 'a', 1000, t + 2000)).toBe(false);
      await store.releaseLease(lease, 'b');
      expect(await store.acquireLease(lease, 'a', 1000, t + 2001)).toBe(true); // released: free at once
    });

    it('leases: of 20 concurrent takers of a free lease exactly one gets it', async () => {
      const lease = `${prefix}race`;
      const now = Date.now();
      const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => store.acquireLease(lease, `holder-${i}`, 60_000, now)));
      expect(taken.filter(Boolean)).toHaveLength(1);
      // An expired lease taken over concurrently: again exactly one.
      const later = await Promise.all(Array.from({ length: 20 }, (_, i) => store.acquireLease(lease, `late-${i}`, 60_000, now + 120_000)));
      expect(later.filter(Boolean)).toHaveLength(1);
    });
  });
}
