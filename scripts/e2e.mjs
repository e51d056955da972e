#!/usr/bin/env node
// End-to-end tests: builds the TypeScript and the renderer, then runs e2e/ against the real service
// in Chromium. Exits with the first failing step's code.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const steps = [
  ['npx', ['tsc', '-b', 'tsconfig.build.json']],
  ['npx', ['vite', 'build', '--config', 'renderer/vite.config.ts']],
  ['npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)]],
];

for (const [command, args] of steps) {
  process.stderr.write(`\n> ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`e2e: could not run ${command}: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
