import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbRegistryStore } from '../src/storage/embedded/lmdb-registry-store.js';
import { jobReplicasSuite } from './conformance/job-replicas-suite.js';

jobReplicasSuite('embedded LMDB', async () => new LmdbRegistryStore(join(mkdtempSync(join(tmpdir(), 'fstore-job-replicas-')), 'registry.lmdb')));
