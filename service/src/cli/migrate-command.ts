import { resolve } from 'node:path';
import type { ServiceConfig } from '../config/config-schema.js';
import { RegistryService } from '../registry/registry-service.js';
import { migrateOfflineStore } from '../storage/offline-migration.js';
import type { MigrationReport } from '../storage/offline-store.js';
import { openStores } from '../storage/open-stores.js';

/** `fstore migrate`: the start-up upgrade of the offline store, run ahead of time with progress. */
export async function migrateStores(config: ServiceConfig, onProgress: (message: string) => void): Promise<MigrationReport | null> {
  const stores = await openStores(config, resolve(config.dataDir));
  try {
    const registry = new RegistryService(stores.registry);
    return await migrateOfflineStore(stores.offline, () => registry.list('feature', true), onProgress);
  } finally {
    await stores.close();
  }
}
