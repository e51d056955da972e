import cluster, { type Worker } from 'node:cluster';
import type { HttpLogger } from '../http/server-types.js';
import type { MetricJson, ServingWorkers } from '../monitoring/serving-workers.js';
import { CLUSTER_ENV, isToPrimary, type ToPrimary, type ToWorker, type WorkerSettings } from './cluster-messages.js';

/** How long the primary waits for a worker's metrics or samples before leaving it out. */
const ASK_TIMEOUT_MS = 2000;
/** A worker that dies this soon after it started is restarted after RESTART_DELAY_MS, not at once. */
const EARLY_EXIT_MS = 5000;
const RESTART_DELAY_MS = 1000;

/**
 * The serving workers, from the primary's side: started, restarted when one exits (logged), told
 * of registry changes, asked for what they measured, stopped.
 */
export class WorkerPool implements ServingWorkers {
  private readonly listening = new Set<Worker>();
  private readonly pending = new Map<number, (message: ToPrimary) => void>();
  private nextId = 1;
  private isStopping = false;

  constructor(
    private readonly count: number,
    private readonly settings: WorkerSettings,
    private readonly log: HttpLogger,
    private readonly stopTimeoutMs: number,
  ) {}

  /** Forks the workers; resolves with the port they share once all listen, rejects if one exits first. */
  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      let ready = 0;
      let port = 0;
      for (let i = 0; i < this.count; i++) {
        const worker = this.fork();
        const early = (code: number | null, signal: string | null) => reject(new Error(`a serving worker exited (${signal ?? `code ${code}`}) before listening; its error is printed above`));
        worker.once('exit', early);
        worker.once('listening', (address) => {
          worker.off('exit', early);
          port = address.port;
          if (++ready === this.count) resolve(port);
        });
      }
    });
  }

  broadcast(message: ToWorker): void {
    for (const worker of this.listening) if (worker.isConnected()) worker.send(message, () => {});
  }

  async metrics(): Promise<MetricJson[][]> {
    return this.ask((id) => ({ type: 'fstore:ask-metrics', id }), (m) => (m.type === 'fstore:metrics' ? m.metrics : undefined));
  }

  async samples(entity: string, features: string[]): Promise<Map<string, string[]>> {
    const answers = await this.ask((id) => ({ type: 'fstore:ask-samples', id, entity, features }), (m) => (m.type === 'fstore:samples' ? m.samples : undefined));
    const merged = new Map<string, string[]>();
    for (const answer of answers) for (const [feature, values] of answer) merged.set(feature, [...(merged.get(feature) ?? []), ...values]);
    return merged;
  }

  /** Asks every worker to stop (they finish what is in progress); kills those still running after stopTimeoutMs. */
  async stop(): Promise<void> {
    this.isStopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exits = running.map((w) => new Promise<void>((r) => (w.isDead() ? r() : w.once('exit', () => r()))));
    for (const worker of running) {
      // One still starting may not listen to messages yet; a signal stops it at any point.
      if (this.listening.has(worker) && worker.isConnected()) worker.send({ type: 'fstore:stop' } satisfies ToWorker, () => {});
      else worker.process.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      for (const worker of running) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, this.stopTimeoutMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  private fork(restarted = false): Worker {
    const startedAt = Date.now();
    const worker = cluster.fork({ [CLUSTER_ENV]: JSON.stringify(this.settings) });
    worker.on('message', (message: unknown) => {
      if (isToPrimary(message)) this.pending.get(message.id)?.(message);
    });
    worker.once('listening', () => {
      this.listening.add(worker);
      if (restarted) this.log.warn({ workerPid: worker.process.pid }, 'a serving worker started in place of one that exited');
    });
    worker.once('exit', (code, signal) => {
      this.listening.delete(worker);
      if (this.isStopping) return;
      const delay = Date.now() - startedAt < EARLY_EXIT_MS ? RESTART_DELAY_MS : 0;
      this.log.error({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, 'a serving worker exited; starting another');
      setTimeout(() => {
        if (!this.isStopping) this.fork(true);
      }, delay);
    });
    return worker;
  }

  private async ask<T>(build: (id: number) => ToWorker, pick: (message: ToPrimary) => T | undefined): Promise<T[]> {
    const asks = [...this.listening].map(
      (worker) =>
        new Promise<T | undefined>((resolve) => {
          const id = this.nextId++;
          const done = (value: T | undefined) => {
            clearTimeout(timer);
            this.pending.delete(id);
            resolve(value);
          };
          const timer = setTimeout(() => done(undefined), ASK_TIMEOUT_MS);
          this.pending.set(id, (message) => done(pick(message)));
          if (!worker.isConnected()) return done(undefined);
          worker.send(build(id), (err: Error | null) => {
            if (err) done(undefined);
          });
        }),
    );
    return (await Promise.all(asks)).filter((a): a is Awaited<T> => a !== undefined);
  }
}
