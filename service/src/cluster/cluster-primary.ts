import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '../config/config-schema.js';
import { buildApp, type BuiltApp } from '../http/app.js';
import { assertSafeBind } from '../server.js';
import { WorkerPool } from './worker-pool.js';

export interface ClusterService extends BuiltApp {
  /** The public address the workers share. */
  url: string;
  /** Stops the workers (each finishes what it has in progress), then the primary's app. */
  stop(): Promise<void>;
}

/**
 * The primary of `fstore serve --workers N` (docs/adr/0009-serving-workers.md): the whole service
 * (registry, offline store, jobs, Kafka, monitoring) once, on a private socket only its workers
 * can reach; N serving workers on the public address.
 */
export async function startClusterPrimary(config: ServiceConfig, workers: number): Promise<ClusterService> {
  assertSafeBind(config);
  // In a folder only this user can enter: the socket answers like the public port, keys and all.
  const socketDir = process.platform === 'win32' ? undefined : mkdtempSync(join(tmpdir(), 'fstore-'));
  const socket = socketDir ? join(socketDir, 'primary.sock') : `\\\\.\\pipe\\fstore-${process.pid}-${randomBytes(6).toString('hex')}`;
  const removeSocketDir = () => socketDir && rmSync(socketDir, { recursive: true, force: true });
  // Also when the exit is forced (shutdownTimeoutMs passed, or a start-up failure).
  process.once('exit', removeSocketDir);
  const built = await buildApp(config, { behindWorkers: true });
  const pool = new WorkerPool(workers, { socket, offlineDescription: built.ctx.stores.offline.description }, built.app.log, config.shutdownTimeoutMs);
  const stop = async () => {
    await pool.stop();
    built.app.log.info('serving workers stopped');
    await built.app.close();
    removeSocketDir();
  };
  try {
    await built.app.listen({ path: socket });
    built.ctx.workers = pool;
    built.ctx.registry.onChange = () => pool.broadcast({ type: 'fstore:registry-changed' });
    const port = await pool.start();
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return { ...built, url: `http://${host}:${port}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
