import { defineConfig } from 'vitest/config';
import { pathAlias } from '../path-alias.js';

/** End-to-end tests: the real service (a child process) driven through Chromium. Run with `npm run test:e2e`. */
export default defineConfig({
  resolve: { alias: pathAlias },
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One service and one browser at a time: the machine has 2 cores.
    fileParallelism: false,
    // One worker imports Playwright and the helpers once for every file (about 5 s per file
    // otherwise); each file still starts its own service and browser.
    isolate: false,
  },
});
