#!/usr/bin/env node
// End-to-end tests: builds the TypeScript and the renderer, then runs e2e/ against the real service
// in Chromium. Exits with the first failing step's code.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// The Spark e2e test needs Spark's settings: provisioned here (cached after the first time) unless given.
const sparkEnv = {};
if (!process.env.FSTORE_SPARK_SUBMIT && process.env.FSTORE_ALLOW_NO_SPARK !== '1') {
  process.stderr.write('\n> bash scripts/provision/spark.sh\n');
  const provision = spawnSync('bash', ['scripts/provision/spark.sh'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (provision.status !== 0) process.exit(provision.status ?? 1);
  for (const line of provision.stdout.split('\n').filter((l) => l.startsWith('export '))) {
    sparkEnv[line.slice(7, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
}
const steps = [
  ['npm', ['run', '--silent', 'build:ts']],
  ['npx', ['vite', 'build', '--config', 'renderer/vite.config.ts']],
  ['npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)]],
];

for (const [command, args] of steps) {
  process.stderr.write(`\n> ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...sparkEnv } });
  if (result.error) {
    process.stderr.write(`e2e: could not run ${command}: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
