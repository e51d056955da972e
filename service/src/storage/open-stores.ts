import { join } from 'node:path';
import type { ServiceConfig } from '../config/config-schema.js';
import { ConfigError } from '../config/load-config.js';
import { DuckDbOfflineStore } from './embedded/duckdb-offline-store.js';
import { LmdbOnlineStore } from './embedded/lmdb-online-store.js';
import { LmdbRegistryStore } from './embedded/lmdb-registry-store.js';
import type { OfflineStore } from './offline-store.js';
import type { OnlineStore } from './online-store.js';
import type { RegistryStore } from './registry-store.js';

export interface Stores {
  registry: RegistryStore;
  online: OnlineStore;
  offline: OfflineStore;
  close(): Promise<void>;
}

/** Opens the configured adapter for each storage role; unset roles use the embedded defaults. */
export async function openStores(config: ServiceConfig, dataDir: string): Promise<Stores> {
  for (const [key, value] of [
    ['onlineStore', config.onlineStore],
    ['offlineStore', config.offlineStore],
    ['registry', config.registry],
  ] as const) {
    if (value !== null) {
      throw new ConfigError(`'${key}' is set, but only the embedded stores exist in this version; unset it (FSTORE_* variable or config file)`);
    }
  }
  const registry = new LmdbRegistryStore(join(dataDir, 'registry.lmdb'));
  const online = new LmdbOnlineStore(join(dataDir, 'online.lmdb'));
  const offline = await DuckDbOfflineStore.open(join(dataDir, 'offline.duckdb'));
  return {
    registry,
    online,
    offline,
    async close() {
      await Promise.all([registry.close(), online.close(), offline.close()]);
    },
  };
}
