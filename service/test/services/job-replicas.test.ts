import { jobReplicasSuite } from '../conformance/job-replicas-suite.js';
import { freshDataDir, serverStoresFor } from '../helpers.js';
import { MongoRegistryStore } from '../../src/storage/mongo/mongo-registry-store.js';

jobReplicasSuite('MongoDB-compatible server', async () => MongoRegistryStore.open((await serverStoresFor(freshDataDir())).registry));
