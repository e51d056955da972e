/**
 * What the primary of `fstore serve --workers N` and its serving workers say over cluster IPC
 * (see docs/adr/0009-serving-workers.md).
 */
import type { MetricJson } from '../monitoring/serving-workers.js';

/** Set by the primary in each worker's environment. */
export const CLUSTER_ENV = 'FSTORE_CLUSTER_PRIMARY';

/** What a worker needs before it can listen: where the primary answers, and what /health says of the offline store. */
export interface WorkerSettings {
  /** The primary's private listener: a Unix socket in a 0700 folder (a named pipe on Windows). */
  socket: string;
  offlineDescription: string;
}

export type ToWorker =
  /** A registry change committed by the primary: drop the cached lists now rather than within 1 s. */
  | { type: 'fstore:registry-changed' }
  | { type: 'fstore:ask-metrics'; id: number }
  | { type: 'fstore:ask-samples'; id: number; entity: string; features: string[] }
  /** Stop accepting, finish what is in progress, exit. */
  | { type: 'fstore:stop' };

export type ToPrimary = { type: 'fstore:metrics'; id: number; metrics: MetricJson[] } | { type: 'fstore:samples'; id: number; samples: [string, string[]][] };

/** One of ours (cluster IPC also carries Node's own and prom-client's messages). */
function isOurs(message: unknown): boolean {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.startsWith('fstore:');
}

export function isToWorker(message: unknown): message is ToWorker {
  return isOurs(message);
}

export function isToPrimary(message: unknown): message is ToPrimary {
  return isOurs(message);
}
