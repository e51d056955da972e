import { defineConfig } from 'vitest/config';
import { pathAlias } from './path-alias.js';

export default defineConfig({
  resolve: { alias: pathAlias },
  test: {
    include: ['shared/**/*.test.ts', 'service/test/**/*.test.ts', 'main/**/*.test.ts', 'docker/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Tests against real servers run in their own pass (vitest.services.config.ts) after services:up.
    exclude: ['service/test/services/**', 'service/test/faults/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Native stores (DuckDB, LMDB) and service processes are heavy on a 2-core machine.
    maxWorkers: 2,
    // One module graph per worker, not per file: importing the service (Fastify, DuckDB, LMDB,
    // TypeBox schemas) cost about 4 s per file, 195 s of the suite. Tests share no module state:
    // each builds its own service, stores and metrics registry.
    isolate: false,
  },
});
