import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { describe, expect, it } from 'vitest';
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

describe('embedded LMDB online store: data folders of earlier versions', () => {
  it('reads records written before shared structures, and updates them event-time aware', async () => {
    const path = join(dir(), 'online.lmdb');
    // How FStore wrote records before it enabled shared structures: the field names in each record.
    const legacy = open({ path, compression: false });
    await legacy.put(['user', 'profile', 'u1'], { age: ['30', Date.UTC(2025, 0, 2)], city: ['"SP"', Date.UTC(2025, 0, 1)] });
    await legacy.close();

    const store = new LmdbOnlineStore(path);
    const read = async () => (await store.read('user', ['u1'], [{ group: 'profile', features: ['age', 'city'] }]))[0]![0];
    expect(await read()).toEqual([
      { json: '30', eventTime: Date.UTC(2025, 0, 2) },
      { json: '"SP"', eventTime: Date.UTC(2025, 0, 1) },
    ]);
    const values = { age: { json: '29', eventTime: Date.UTC(2025, 0, 1) }, city: { json: '"RJ"', eventTime: Date.UTC(2025, 0, 3) } };
    expect(await store.write({ entity: 'user', group: 'profile', ttlSeconds: null }, [{ entityKey: 'u1', values }])).toBe(1);
    expect(await read()).toEqual([
      { json: '30', eventTime: Date.UTC(2025, 0, 2) },
      { json: '"RJ"', eventTime: Date.UTC(2025, 0, 3) },
    ]);
    await store.close();
  });
});
