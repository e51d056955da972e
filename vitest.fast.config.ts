import { defineConfig } from 'vitest/config';
import { pathAlias } from './path-alias.js';

/**
 * The fast tier (`npm run test:fast`): tests of pure modules, for running while editing; under a
 * minute on a 2-core machine. `npm test` (scripts/test-all.mjs) stays the full run CI uses.
 *
 * Which files, by a rule that stays true as files are added:
 * - The folders whose code is pure by the architecture run whole: `shared/` (no Node built-ins, no
 *   DOM), `renderer/` (view models and helpers; it only talks to the service over HTTP) and `main/`
 *   (the desktop shell's policies as plain functions), except the few `main/` tests listed below
 *   that start processes or servers.
 * - `service/test/` is mostly app boots, real stores and CLI processes, so there the pure unit tests
 *   are listed by name. A new service test runs only in the full tier until it is listed here: the
 *   fast tier can miss a test, never slow down or start a server.
 * - The guard (vitest.fast.setup.ts) makes starting a child process or a listening server throw,
 *   so a test added to a whole folder that does either fails loudly here with what to do.
 */
const SERVICE_UNITS = [
  'feature-names',
  'drift-math',
  'group-commit',
  'histogram-grid',
  'route-kind',
  'time',
].map((name) => `service/test/${name}.test.ts`);

export default defineConfig({
  resolve: { alias: pathAlias },
  test: {
    include: ['shared/**/*.test.ts', 'renderer/**/*.test.ts', 'main/**/*.test.ts', ...SERVICE_UNITS],
    exclude: [
      '**/node_modules/**',
      // spawn a service process / listen on a port
      'main/service-process.test.ts',
      'main/free-port.test.ts',
      'main/service-controller.test.ts',
    ],
    setupFiles: ['./vitest.fast.setup.ts'],
    testTimeout: 10_000,
    maxWorkers: 2,
  },
});
