import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '@shared/api/connections.js';
import type { AuditEvent, VersionRecord } from '@shared/domain/schemas.js';
import { ConflictError } from '../../src/errors/app-error.js';
import type { RegistryCommit, RegistryStore } from '../../src/storage/registry-store.js';
import type { ApiKeyRecord } from '../../src/auth/api-key-record.js';
import type { Job } from '@shared/api/jobs.js';
import type { Alert, AlertRule, BatchQuality } from '@shared/api/monitoring.js';
import { BATCHES_KEPT } from '../../src/storage/monitoring-records.js';

function jobOf(id: string, extra: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'ingest_file',
    state: 'queued',
    title: `job ${id}`,
    params: { entity: 'usuario', nested: { list: [1, 'two', null] } },
    progress: { phase: 'queued', rows_done: 0, rows_total: null, rows_per_second: 0 },
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    created_by: 'tester',
    error: null,
    result: null,
    ...extra,
  };
}

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

    it('stores saved connections: create once per name, replace and delete only what exists, list by name', async () => {
      const connection = (name: string, url: string): Connection => ({
        name,
        kind: 'postgres',
        url,
        description: '',
        created_at: '2026-01-01T00:00:00.000Z',
        created_by: 'tester',
        updated_at: '2026-01-01T00:00:00.000Z',
        updated_by: 'tester',
      });
      const b = connection(`${prefix}_b`, 'env:WAREHOUSE_URL');
      const a = connection(`${prefix}_a`, 'postgres://db.example:5432/app');
      expect(await store.createConnection(b)).toBe(true);
      expect(await store.createConnection(a)).toBe(true);
      expect(await store.createConnection({ ...a, url: 'env:OTHER' })).toBe(false);
      expect(await store.getConnection(a.name)).toEqual(a);
      expect((await store.listConnections()).filter((c) => c.name.startsWith(prefix))).toEqual([a, b]);

      const moved = { ...a, url: 'env:MOVED', updated_at: '2026-01-02T00:00:00.000Z' };
      expect(await store.replaceConnection(moved)).toBe(true);
      expect(await store.getConnection(a.name)).toEqual(moved);
      expect(await store.replaceConnection(connection(`${prefix}_none`, 'env:X'))).toBe(false);
      expect(await store.getConnection(`${prefix}_none`)).toBeUndefined();

      expect(await store.deleteConnection(a.name)).toBe(true);
      expect(await store.deleteConnection(a.name)).toBe(false);
      expect((await store.listConnections()).filter((c) => c.name.startsWith(prefix)).map((c) => c.name)).toEqual([b.name]);
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
    it('jobs: put inserts and replaces by id; an ended job is final; cancel requests survive puts', async () => {
      const id = `${prefix}-job-1`;
      const queued = jobOf(id);
      expect(await store.jobs.put(queued, 'replica-a')).toBe(true);
      expect(await store.jobs.get(id)).toEqual({ job: queued, holder: 'replica-a', cancelRequested: false });
      const running: Job = { ...queued, state: 'running', progress: { phase: 'reading', rows_done: 5, rows_total: 10, rows_per_second: 2 } };
      expect(await store.jobs.put(running, 'replica-a')).toBe(true);
      await store.jobs.requestCancel(id);
      expect(await store.jobs.put({ ...running, progress: { ...running.progress, rows_done: 6 } }, 'replica-a')).toBe(true);
      expect(await store.jobs.get(id)).toMatchObject({ job: { state: 'running', progress: { rows_done: 6 } }, cancelRequested: true });
      const failed: Job = { ...running, state: 'failed', error: { code: 'FSTORE_INTERRUPTED', message: 'gone' }, finished_at: new Date().toISOString() };
      expect(await store.jobs.put(failed, 'replica-b')).toBe(true);
      // The first verdict stands: a late write of the same job by the replica that lost it changes nothing.
      expect(await store.jobs.put({ ...running, state: 'succeeded', result: { rows: 10 } }, 'replica-a')).toBe(false);
      expect((await store.jobs.get(id))?.job).toEqual(failed);
      expect(await store.jobs.get(`${prefix}-absent`)).toBeUndefined();
    });

    it('jobs: listed newest first, filtered by state, kind and unfinished, limited', async () => {
      const base = Date.parse('2031-01-01T00:00:00Z') + Math.floor(Math.random() * 1e9);
      const at = (i: number) => new Date(base + i * 1000).toISOString();
      const ids = [0, 1, 2, 3].map((i) => `${prefix}-list-${i}`);
      await store.jobs.put(jobOf(ids[0]!, { created_at: at(0), state: 'succeeded' }), 'a');
      await store.jobs.put(jobOf(ids[1]!, { created_at: at(1), state: 'running', kind: 'materialize' }), 'a');
      await store.jobs.put(jobOf(ids[2]!, { created_at: at(2), state: 'queued' }), 'b');
      await store.jobs.put(jobOf(ids[3]!, { created_at: at(3), state: 'failed', kind: 'sql_pull' }), 'b');
      const mine = (records: { job: Job }[]) => records.map((r) => r.job.id).filter((id) => ids.includes(id));
      expect(mine(await store.jobs.list({ limit: 1000 }))).toEqual([ids[3], ids[2], ids[1], ids[0]]);
      expect(mine(await store.jobs.list({ unfinished: true, limit: 1000 }))).toEqual([ids[2], ids[1]]);
      expect(mine(await store.jobs.list({ kind: 'materialize', limit: 1000 }))).toEqual([ids[1]]);
      expect(mine(await store.jobs.list({ state: 'failed', limit: 1000 }))).toEqual([ids[3]]);
      expect(mine(await store.jobs.list({ state: 'failed', unfinished: true, limit: 1000 }))).toEqual([]);
      const newest = await store.jobs.list({ limit: 2 });
      expect(newest).toHaveLength(2);
      expect(newest[0]!.job.created_at >= newest[1]!.job.created_at).toBe(true);
      expect((await store.jobs.list({ unfinished: true, limit: 1000 })).find((r) => r.job.id === ids[2])?.holder).toBe('b');
    });

    it('jobs: keep a log per job, replaced on put', async () => {
      const id = `${prefix}-log`;
      expect(await store.jobs.getLog(id)).toBeUndefined();
      await store.jobs.putLog(id, { lines: ['one', 'two'], dropped: 0 });
      await store.jobs.putLog(id, { lines: ['two', 'three \u00e9'], dropped: 1 });
      expect(await store.jobs.getLog(id)).toEqual({ lines: ['two', 'three \u00e9'], dropped: 1 });
    });
    it('monitoring: keeps the newest BATCHES_KEPT batches per group, newest first', async () => {
      const group = `${prefix}_g`;
      const batch = (i: number): BatchQuality => ({
        batch_id: `${prefix}-b${i}`,
        entity: 'usuario',
        feature_group: group,
        ingested_at: new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString(),
        rows: i,
        features: [{ feature: 'idade', count: i, nulls: 0, null_rate: 0, min: 1, max: 2, mean: 1.5, std: null, distinct: 2 }],
        rule_violations: [],
      });
      for (let i = 0; i < BATCHES_KEPT + 3; i++) await store.monitoring.addBatch(batch(i));
      await store.monitoring.addBatch(batch(BATCHES_KEPT + 2)); // the same batch again: still one
      const kept = await store.monitoring.batches('usuario', group, 1000);
      expect(kept).toHaveLength(BATCHES_KEPT);
      expect(kept[0]).toEqual(batch(BATCHES_KEPT + 2));
      expect(kept.at(-1)!.rows).toBe(3);
      expect(await store.monitoring.batches('usuario', group, 2)).toEqual([batch(BATCHES_KEPT + 2), batch(BATCHES_KEPT + 1)]);
      expect(await store.monitoring.batches('usuario', `${group}_other`, 10)).toEqual([]);
    });

    it('monitoring: write counts add up under concurrent writers and the newest event time only moves forward', async () => {
      const group = `${prefix}_w`;
      const times = [5000, 9000, null, 7000];
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.monitoring.recordWrite('usuario', group, 10, times[i % times.length]!, '2030-01-01T00:00:00.000Z')));
      const mine = (await store.monitoring.writes()).find((w) => w.feature_group === group);
      expect(mine).toEqual({ entity: 'usuario', feature_group: group, newest_event_ms: 9000, values_total: 200, last_write_at: '2030-01-01T00:00:00.000Z' });
      const fresh = `${prefix}_n`;
      await store.monitoring.recordWrite('usuario', fresh, 3, null, '2030-01-01T00:00:00.000Z');
      expect((await store.monitoring.writes()).find((w) => w.feature_group === fresh)).toMatchObject({ newest_event_ms: null, values_total: 3 });
    });

    it('monitoring: rules by name, alerts by id with the firing one per (rule, target), newest first', async () => {
      const rule: AlertRule = { name: `${prefix}_rule`, type: 'freshness', entity: 'usuario', created_at: '2030-01-01T00:00:00Z', created_by: 't', last_evaluated_at: null };
      await store.monitoring.putRule(rule);
      await store.monitoring.putRule({ ...rule, threshold: 60 });
      expect(await store.monitoring.rule(rule.name)).toEqual({ ...rule, threshold: 60 });
      expect((await store.monitoring.rules()).filter((r) => r.name === rule.name)).toHaveLength(1);
      const alert = (id: string, fired: string, state: Alert['state'] = 'firing'): Alert => ({
        id: `${prefix}-${id}`,
        rule: rule.name,
        type: 'freshness',
        target: 'usuario/g',
        state,
        value: 120,
        threshold: 60,
        message: 'stale',
        fired_at: fired,
        last_seen_at: fired,
        resolved_at: state === 'resolved' ? fired : null,
        acknowledged_at: null,
        acknowledged_by: null,
      });
      await store.monitoring.putAlert(alert('a1', '2030-01-01T00:00:00Z'));
      expect(await store.monitoring.activeAlert(rule.name, 'usuario/g')).toEqual(alert('a1', '2030-01-01T00:00:00Z'));
      await store.monitoring.putAlert(alert('a1', '2030-01-01T00:00:00Z', 'resolved'));
      expect(await store.monitoring.activeAlert(rule.name, 'usuario/g')).toBeUndefined();
      await store.monitoring.putAlert(alert('a2', '2030-01-02T00:00:00Z'));
      expect((await store.monitoring.activeAlert(rule.name, 'usuario/g'))?.id).toBe(`${prefix}-a2`);
      expect((await store.monitoring.alerts({ rule: rule.name })).map((a) => a.id)).toEqual([`${prefix}-a2`, `${prefix}-a1`]);
      expect((await store.monitoring.alerts({ rule: rule.name, state: 'resolved' })).map((a) => a.id)).toEqual([`${prefix}-a1`]);
      expect(await store.monitoring.alerts({ rule: rule.name, limit: 1 })).toHaveLength(1);
      expect(await store.monitoring.alert(`${prefix}-a1`)).toMatchObject({ state: 'resolved' });
      await store.monitoring.removeRule(rule.name);
      expect(await store.monitoring.rule(rule.name)).toBeUndefined();
    });
  });
}
