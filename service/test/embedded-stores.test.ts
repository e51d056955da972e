import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbOfflineStore } from '../src/storage/embedded/duckdb-offline-store.js';
import { LmdbOnlineStore } from '../src/storage/embedded/lmdb-online-store.js';
import { LmdbRegistryStore } from '../src/storage/embedded/lmdb-registry-store.js';
import { offlineStoreConformance } from './conformance/offline-store-suite.js';
import { onlineStoreConformance } from './conformance/online-store-suite.js';
import { registryStoreConformance } from './conformance/registry-store-suite.js';

const dir = () => mkdtempSync(join(tmpdir(), 'fstore-conf-'));

onlineStoreConformance('embedded LMDB', async () => new LmdbOnlineStore(join(dir(), 'online.lmdb')));
offlineStoreConformance('embedded DuckDB', () => DuckDbOfflineStore.open(join(dir(), 'offline.duckdb')));
registryStoreConformance('embedded LMDB', async () => new LmdbRegistryStore(join(dir(), 'registry.lmdb')));
