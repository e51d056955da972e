// The one command that runs every test suite (`npm test`): provisions what the suites need, then
// lint, typecheck, build, unit/service/conformance tests, and end-to-end tests in Chromium.
// Every step runs even if an earlier one failed, and the last line sums up: "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(name, command, args, { env = {} } = {}) {
  process.stderr.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  process.stderr.write(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!ok) failures.push(name);
  return ok;
}

/**
 * Runs the lanes at once, the steps of each in order (as `run` does, output kept until the step
 * ends so the log stays readable): the static checks are single-threaded processes, so two lanes
 * use both cores of a 2-core CI machine.
 */
async function runLanes(lanes) {
  const step = ([name, command, args, env = {}]) =>
    new Promise((done) => {
      const started = Date.now();
      const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      const output = [];
      child.stdout.on('data', (c) => output.push(c));
      child.stderr.on('data', (c) => output.push(c));
      child.on('close', (code, signal) => {
        const ok = code === 0;
        process.stderr.write(`\n=== ${name}: ${command} ${args.join(' ')}\n${Buffer.concat(output).toString()}`);
        process.stderr.write(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${code ?? signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        if (!ok) failures.push(name);
        done(ok);
      });
    });
  await Promise.all(lanes.map(async (lane) => {
    for (const s of lane) await step(s);
  }));
}

/** Adds a vitest JSON report's counts to the totals; a missing report counts as a failed suite. */
function count(name, file) {
  if (!existsSync(file)) {
    totals.failed += 1;
    process.stderr.write(`=== ${name}: no report at ${file}; counted as a failure\n`);
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (report.numTotalTests === 0) {
    totals.failed += 1;
    process.stderr.write(`=== ${name}: ran no test; counted as a failure\n`);
  }
}

const vitest = (config, out) => ['vitest', 'run', ...(config ? ['--config', config] : []), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];

const provisioned = run('provision', 'bash', ['scripts/provision/system-packages.sh']);
// Static checks in two lanes (each about half of the work). The Python SDK's types.py and
// _error_codes.py are generated from /openapi.json and the error catalogue
// (scripts/generate-python-types.ts): their check fails when the committed files drifted.
// Electronegativity scans the desktop app (policy and accepted findings in
// scripts/security/electronegativity.json; docs/security.md).
await runLanes([
  [
    ['lint', 'npx', ['eslint', '.']],
    ['import cycles (type imports included)', 'node', ['scripts/check-import-cycles.mjs']],
    ['typecheck renderer', 'npx', ['tsc', '-p', 'renderer/tsconfig.json', '--noEmit']],
    ['Python SDK types up to date (npm run check:sdk-types)', 'npm', ['run', '--silent', 'check:sdk-types']],
  ],
  [
    ['typecheck', 'npx', ['tsc', '-b', 'tsconfig.json']],
    ['typecheck tests', 'npx', ['tsc', '-p', 'tsconfig.tests.json']],
    ['typecheck desktop tests', 'npx', ['tsc', '-p', 'main/tsconfig.test.json']],
    ['Electron static scan (electronegativity)', 'node', ['scripts/security/electron-scan.mjs']],
  ],
]);

// npm audit of the production dependencies (docs/security.md). An audit the registry does not
// answer is counted as skipped, with the reason printed.
{
  const AUDIT_NOT_CHECKED = 3;
  process.stderr.write('\n=== npm audit (production, high and critical): node scripts/security/npm-audit.mjs\n');
  const audit = spawnSync('node', ['scripts/security/npm-audit.mjs'], { cwd: root, stdio: 'inherit' });
  if (audit.status === AUDIT_NOT_CHECKED) {
    totals.skipped += 1;
    process.stderr.write('=== npm audit: SKIPPED, not checked (reason above)\n');
  } else if (audit.status === 0) {
    process.stderr.write('=== npm audit: ok\n');
  } else {
    failures.push('npm audit (production)');
    process.stderr.write(`=== npm audit: FAILED (exit ${audit.status ?? audit.signal})\n`);
  }
}
const built = run('build', 'npm', ['run', '--silent', 'build']);
if (built) run('runtime dependencies of the built service', 'node', ['scripts/check-runtime-deps.mjs']);

const unitReport = join(reports, 'unit.json');
run('unit, service and conformance tests', 'npx', vitest(null, unitReport));
count('unit, service and conformance tests', unitReport);

/** Adds a JUnit XML report's counts (pytest --junitxml) to the totals. */
function countJunit(name, file) {
  if (!existsSync(file)) {
    totals.failed += 1;
    process.stderr.write(`=== ${name}: no report at ${file}; counted as a failure\n`);
    return;
  }
  const xml = readFileSync(file, 'utf8');
  const attr = (a) => Number(new RegExp(`<testsuite[^>]*\\s${a}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const [tests, failures, errors, skipped] = ['tests', 'failures', 'errors', 'skipped'].map(attr);
  totals.passed += tests - failures - errors - skipped;
  totals.failed += failures + errors;
  totals.skipped += skipped;
  if (tests === 0) {
    totals.failed += 1;
    process.stderr.write(`=== ${name}: ran no test; counted as a failure\n`);
  }
}

// Real servers for the adapters' tests: started (installed when missing) on loopback, then their
// URLs handed to the suite. See docs/services.md.
const servicesUp = run('start services (Redis, Redis Cluster, PostgreSQL, FerretDB, Kafka)', 'bash', ['scripts/services/up.sh']);
// The Spark engine's venv and JDBC jar (docs/spark.md): its exports reach the backend tests, whose
// Spark tests fail loudly without them; its translation unit tests need no JVM.
process.stderr.write('\n=== provision Spark: bash scripts/provision/spark.sh\n');
const sparkProvision = spawnSync('bash', ['scripts/provision/spark.sh'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const sparkEnv = Object.fromEntries(
  (sparkProvision.stdout ?? '')
    .split('\n')
    .filter((line) => line.startsWith('export '))
    .map((line) => [line.slice(7, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
if (sparkProvision.status !== 0) failures.push('provision Spark');
else run('Spark job unit tests (unittest)', join(sparkEnv.FSTORE_SPARK_SUBMIT, '..', 'python'), ['-m', 'unittest', 'discover', '-s', 'service/test/spark']);
if (servicesUp) {
  const env = Object.fromEntries(
    spawnSync('bash', ['scripts/services/env.sh'], { cwd: root, encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const servicesReport = join(reports, 'services.json');
  run('backend tests (real servers)', 'npx', vitest('vitest.services.config.ts', servicesReport), { env: { ...env, ...sparkEnv } });
  count('backend tests (real servers)', servicesReport);
} else {
  totals.failed += 1;
  failures.push('backend tests (not run: services did not start)');
}

// The end-to-end suite beside the Python SDK suite and the release check: each drives its own
// embedded service or mostly waits on the network (together about one core of two).
const e2eReport = join(reports, 'e2e.json');
await runLanes([
  built && provisioned ? [['end-to-end tests (Chromium)', 'npx', vitest('e2e/vitest.config.ts', e2eReport), sparkEnv]] : [],
  [
    ...(built ? [['Python SDK tests (pytest, real service)', 'bash', ['sdk/python/run-tests.sh']]] : []),
    // openapi.json current and linted, the Python wheel and sdist built (scripts/release-check.mjs).
    ['release check (npm run release:check)', 'npm', ['run', '--silent', 'release:check']],
  ],
]);
if (built && provisioned) {
  count('end-to-end tests (Chromium)', e2eReport);
} else {
  totals.failed += 1;
  failures.push('end-to-end tests (not run: build or provisioning failed)');
}
if (built) {
  countJunit('Python SDK tests', join(reports, 'python-sdk.xml'));
} else {
  totals.failed += 1;
  failures.push('Python SDK tests (not run: build failed)');
}

process.stderr.write(`\nFailed steps: ${failures.length ? failures.join(', ') : 'none'}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failures.length > 0 || totals.failed > 0 ? 1 : 0);
