import { defineConfig } from 'vitest/config';

/**
 * Tests against real Redis, PostgreSQL, a MongoDB-compatible server and Kafka (npm run
 * services:up): the adapters' conformance suites and fault tests, plus the service's whole API
 * test suite, the property tests of hostile input (no partial writes) and the serving-workers test
 * (`fstore serve --workers 2`) re-run with every storage role on its server adapter.
 */
export default defineConfig({
  test: {
    include: ['service/test/services/**/*.test.ts', 'service/test/faults/**/*.test.ts', 'service/test/*-api.test.ts', 'service/test/property/*.test.ts', 'service/test/serve-workers.test.ts'],
    env: { FSTORE_TEST_STORES: 'services' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
