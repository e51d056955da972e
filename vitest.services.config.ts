import { defineConfig } from 'vitest/config';
import { pathAlias } from './path-alias.js';

/**
 * Tests against real Redis, PostgreSQL, a MongoDB-compatible server and Kafka (npm run
 * services:up): the adapters' conformance suites and fault tests, plus the service's whole API
 * test suite, the property tests of hostile input (no partial writes) and the serving-workers test
 * (`fstore serve --workers 2`) re-run with every storage role on its server adapter.
 *
 * Two groups, one after the other. Tests on the shared servers run two files at a time: each file
 * has its own PostgreSQL and MongoDB databases, Redis logical database and Kafka topics
 * (service/test/helpers.ts). Tests that stop, restart or starve a server, or time a fault, run
 * afterwards, one file at a time: the Redis outage test stops the shared Redis.
 */
const common = {
  env: { FSTORE_TEST_STORES: 'services' },
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // One module graph per worker, not per file (about 4 s of imports per file otherwise): each test
  // builds its own service and stores, and the metrics registry is per service.
  isolate: false,
};
const exclusive = ['service/test/faults/**/*.test.ts', 'service/test/services/redis-outage.test.ts'];

export default defineConfig({
  resolve: { alias: pathAlias },
  test: {
    projects: [
      {
        resolve: { alias: pathAlias },
        test: {
          ...common,
          name: 'shared servers',
          include: ['service/test/services/**/*.test.ts', 'service/test/*-api.test.ts', 'service/test/property/*.test.ts', 'service/test/serve-workers.test.ts'],
          exclude: [...exclusive, '**/node_modules/**'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias: pathAlias },
        test: {
          ...common,
          name: 'exclusive',
          include: exclusive,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
