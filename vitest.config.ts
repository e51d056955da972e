import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'service/test/**/*.test.ts', 'main/**/*.test.ts', 'docker/**/*.test.ts', 'renderer/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Native stores (DuckDB, LMDB) and service processes are heavy on a 2-core machine.
    maxWorkers: 2,
  },
});
