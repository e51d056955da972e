import { join } from 'node:path';
import type { ServiceConfig } from '../config/config-schema.js';
import { ConfigError } from '../config/load-config.js';
import { DuckDbOfflineStore } from './embedded/duckdb-offline-store.js';
import { LmdbOnlineStore } from './embedded/lmdb-online-store.js';
import { LmdbRegistryStore } from './embedded/lmdb-registry-store.js';
import { MongoRegistryStore } from './mongo/mongo-registry-store.js';
import type { OfflineStore } from './offline-store.js';
import type { OnlineStore } from './online-store.js';
import { PostgresOfflineStore } from './postgres/postgres-offline-store.js';
import { RedisOnlineStore } from './redis/redis-online-store.js';
import type { RegistryStore } from './registry-store.js';
import { redactUrl } from './redact-url.js';

export interface Stores {
  registry: RegistryStore;
  online: OnlineStore;
  offline: OfflineStore;
  close(): Promise<void>;
}

/**
 * Opens the configured adapter for each storage role; an unset role uses its embedded default, so
 * any mix works (e.g. Redis online + DuckDB offline). The scheme of the URL picks the adapter.
 */
export async function openStores(config: ServiceConfig, dataDir: string): Promise<Stores> {
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(store: T) => (opened.push(store), store);
  try {
    const registry = track(await openRegistry(config.registry, dataDir, config.registryTimeoutMs));
    const online = track(await openOnline(config.onlineStore, dataDir, config.onlineStoreTimeoutMs));
    const offline = track(await openOffline(config, dataDir));
    return {
      registry,
      online,
      offline,
      async close() {
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  } catch (err) {
    // Don't leave connections of the roles that did open.
    await Promise.allSettled(opened.map((s) => s.close()));
    throw err;
  }
}

function scheme(url: string): string {
  return url.split(':', 1)[0]!.toLowerCase();
}

/** The registry store of a config, alone (the CLI manages API keys with it). */
export async function openRegistry(url: string | null, dataDir: string, timeoutMs?: number): Promise<RegistryStore> {
  if (url === null) return new LmdbRegistryStore(join(dataDir, 'registry.lmdb'));
  if (scheme(url) === 'mongodb' || scheme(url) === 'mongodb+srv') return MongoRegistryStore.open(url, timeoutMs);
  throw unsupported('registry', 'FSTORE_REGISTRY', url, 'mongodb://');
}

/** The online store of a config, alone (each serving worker of `fstore serve --workers N` opens its own). */
export async function openOnline(url: string | null, dataDir: string, timeoutMs: number): Promise<OnlineStore> {
  if (url === null) return new LmdbOnlineStore(join(dataDir, 'online.lmdb'));
  if (['redis', 'rediss', 'redis+cluster', 'rediss+cluster'].includes(scheme(url))) return RedisOnlineStore.open(url, { timeoutMs });
  throw unsupported('onlineStore', 'FSTORE_ONLINE_STORE', url, 'redis://, rediss://, redis+cluster://host1:port,host2:port or rediss+cluster://');
}

async function openOffline(config: ServiceConfig, dataDir: string): Promise<OfflineStore> {
  const url = config.offlineStore;
  if (url === null) return DuckDbOfflineStore.open(join(dataDir, 'offline.duckdb'));
  if (scheme(url) === 'postgres' || scheme(url) === 'postgresql') {
    return PostgresOfflineStore.open(url, {
      timeoutMs: config.offlineStoreTimeoutMs,
      connectTimeoutMs: config.offlineStoreConnectTimeoutMs,
      poolSize: config.offlineStorePoolSize,
    });
  }
  throw unsupported('offlineStore', 'FSTORE_OFFLINE_STORE', url, 'postgres://');
}

function unsupported(key: string, env: string, url: string, expected: string): ConfigError {
  return new ConfigError(`'${key}' (${env}) is ${redactUrl(url)}; expected ${expected}, or unset for the embedded store`);
}
