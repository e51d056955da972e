import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { BackendUnavailableError } from '../../src/errors/app-error.js';
import { JobService } from '../../src/jobs/job-service.js';
import type { RegistryStore } from '../../src/storage/registry-store.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `done` holds (or fails the test after `ms`). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(value)}`);
    await pause(50);
  }
}

/**
 * The registry as two replicas see it: one store, marked shared (as MongoDB is), and a switch that
 * makes every call of one replica fail, as when its process is gone or cut off.
 */
function replicaView(store: RegistryStore): { view: RegistryStore; die(): void } {
  let dead = false;
  const view = failingWhen(store, () => dead, { sharedByReplicas: true, jobs: failingWhen(store.jobs, () => dead) });
  return { view, die: () => (dead = true) };
}

/** `target` with `overrides`, whose methods reject as an unreachable backend once `isDead()`. */
function failingWhen<T extends object>(target: T, isDead: () => boolean, overrides: Record<string, unknown> = {}): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop];
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (isDead() ? Promise.reject(new BackendUnavailableError('registry', 'replica is gone')) : (value as (...a: unknown[]) => unknown).apply(t, args));
    },
  });
}

/** Jobs as replicas on one shared registry see them (docs/scaling.md), on each registry adapter. */
export function jobReplicasSuite(name: string, open: () => Promise<RegistryStore>): void {
  describe(`jobs across replicas: ${name}`, () => {
    let registry: RegistryStore;
    beforeAll(async () => {
      registry = await open();
    });
    afterAll(() => registry.close());

    it('a job submitted on A is listed, followed to its end and its log read on B', async () => {
      const a = await JobService.open(replicaView(registry).view, { leaseTtlMs: 3000 });
      const b = await JobService.open(replicaView(registry).view, { leaseTtlMs: 3000 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const job = await a.submit('ingest_file', 'on A', { entity: 'usuario' }, 'tester', async (ctx) => {
        ctx.log('reading on A');
        ctx.progress({ phase: 'reading', rowsDone: 1, rowsTotal: 2 });
        await gate;
        ctx.progress({ phase: 'writing offline', rowsDone: 2, rowsTotal: 2 });
        return { rows: 2 };
      });
      expect((await b.list({ limit: 1000 })).map((j) => j.id)).toContain(job.id);
      expect(await until(() => b.get(job.id), (j) => j.progress.phase === 'reading')).toMatchObject({ state: 'running' });
      const seen: Job[] = [];
      const ended = new Promise<Job>((resolve) => {
        const off = b.subscribe(job.id, (j) => {
          seen.push(j);
          if (j.state === 'succeeded') {
            off();
            resolve(j);
          }
        });
      });
      release();
      expect(await ended).toMatchObject({ state: 'succeeded', result: { rows: 2 }, progress: { rows_done: 2, rows_total: 2 } });
      expect(seen[0]!.state).toBe('running');
      expect(await b.waitFor(job.id)).toMatchObject({ state: 'succeeded' });
      expect((await b.logs(job.id)).lines).toEqual(['reading on A']);
      await Promise.all([a.close(), b.close()]);
    });

    it('a cancel through B stops the job where it runs, on A', async () => {
      const a = await JobService.open(replicaView(registry).view, { leaseTtlMs: 3000 });
      const b = await JobService.open(replicaView(registry).view, { leaseTtlMs: 3000 });
      const job = await a.submit('materialize', 'long on A', {}, 'tester', async (ctx) => {
        ctx.progress({ phase: 'writing online', rowsDone: 0, rowsTotal: null });
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
        return {};
      });
      await until(() => b.get(job.id), (j) => j.state === 'running');
      expect(await b.cancel(job.id)).toMatchObject({ state: 'running' }); // asked; A ends it
      expect(await until(() => b.get(job.id), (j) => j.state !== 'running')).toMatchObject({ state: 'cancelled' });
      await Promise.all([a.close(), b.close()]);
    });

    it('when A dies mid-job, B reports the job interrupted once A\u2019s lease lapses, and A can no longer overwrite it', async () => {
      const ttl = 1200;
      const dying = replicaView(registry);
      const a = await JobService.open(dying.view, { leaseTtlMs: ttl });
      const b = await JobService.open(replicaView(registry).view, { leaseTtlMs: ttl });
      let finishA!: () => void;
      const gate = new Promise<void>((r) => (finishA = r));
      const job = await a.submit('sql_pull', 'pull on A', {}, 'tester', async (ctx) => {
        ctx.progress({ phase: 'writing offline', rowsDone: 10, rowsTotal: null });
        await gate;
        return {};
      });
      await until(() => b.get(job.id), (j) => j.progress.phase === 'writing offline');
      const diedAt = Date.now();
      dying.die();
      const failed = await until(() => b.get(job.id), (j) => j.state === 'failed', ttl * 4);
      expect(Date.now() - diedAt).toBeGreaterThanOrEqual(ttl * 0.6); // not before the lease could lapse
      expect(failed.error).toMatchObject({ code: 'FSTORE_INTERRUPTED' });
      expect(failed.error!.message).toMatch(new RegExp(`The replica ${a.holder} stopped during 'writing offline'.*resumes from its watermark`));
      finishA(); // A's run ends, but its writes cannot land (and would be refused: ended is final)
      await pause(300);
      expect((await b.get(job.id)).state).toBe('failed');
      await Promise.all([a.close(), b.close()]);
    });

    it('jobs of a replica that closed are reported interrupted by another at once, not after the lease', async () => {
      const a = await JobService.open(replicaView(registry).view, { leaseTtlMs: 60_000 });
      const b = await JobService.open(replicaView(registry).view, { leaseTtlMs: 60_000 });
      const job = await a.submit('ingest_file', 'on A', {}, 'tester', () => new Promise(() => undefined));
      await until(() => b.get(job.id), (j) => j.state === 'running');
      await a.close(); // releases A's lease: B's next sweep (every third of the ttl) may take its jobs
      const c = await JobService.open(replicaView(registry).view, { leaseTtlMs: 60_000 }); // a sweep runs at open
      expect(await c.get(job.id)).toMatchObject({ state: 'failed', error: { code: 'FSTORE_INTERRUPTED' } });
      await Promise.all([b.close(), c.close()]);
    });
  });
}
