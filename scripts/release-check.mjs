// `npm run release:check`: what a release needs, checked without publishing anything.
// 1. openapi.json (committed) is the service's current contract, and it passes the OpenAPI linter
//    (Redocly, rules in redocly.yaml).
// 2. The Python SDK builds as a wheel and an sdist (`python -m build`, in a throwaway virtualenv),
//    named and versioned as package.json says, with the package's modules and typing marker inside.
// 3. The TypeScript client packs as its own package (@fstore/client, the clients/typescript
//    workspace) with the version above, and a strict TypeScript consumer of the packed tarball
//    compiles and runs (imports resolve, the contract's types are in it).
// Every step runs; the exit code is 1 when any failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const failures = [];

function step(name, command, args, options = {}) {
  process.stderr.write(`\n--- ${name}: ${command} ${args.join(' ')}\n`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (run.status !== 0) failures.push(name);
  return run.status === 0;
}

step('openapi.json is the current contract', 'npm', ['run', '--silent', 'check:sdk-types']);
step('OpenAPI lint (redocly.yaml)', 'npx', ['redocly', 'lint', 'openapi.json', '--format=summary']);

const work = mkdtempSync(join(tmpdir(), 'fstore-release-'));
try {
  const python = process.env['PYTHON'] ?? 'python3';
  const venv = join(work, 'venv');
  const out = join(work, 'dist');
  const built =
    step('virtualenv for the build', python, ['-m', 'venv', venv]) &&
    step('install build', join(venv, 'bin/python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', 'build==1.6.1']) &&
    step('Python SDK wheel and sdist', join(venv, 'bin/python'), ['-m', 'build', '--outdir', out, 'sdk/python']);
  if (built) checkPythonArtifacts(out, join(venv, 'bin/python'));
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The wheel and sdist carry package.json's version, the package's modules and its typing marker. */
function checkPythonArtifacts(out, python) {
  const files = readdirSync(out);
  const wheel = files.find((f) => f === `fstore_sdk-${version}-py3-none-any.whl`);
  const sdist = files.find((f) => f === `fstore_sdk-${version}.tar.gz`);
  const problems = [];
  if (!wheel) problems.push(`no wheel fstore_sdk-${version}-py3-none-any.whl (built: ${files.join(', ')})`);
  if (!sdist) problems.push(`no sdist fstore_sdk-${version}.tar.gz (built: ${files.join(', ')})`);
  if (wheel) {
    // Python's zipfile reads the wheel: its file names and METADATA.
    const read = spawnSync(
      python,
      ['-c', 'import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); n = z.namelist(); m = [x for x in n if x.endswith(".dist-info/METADATA")]; print(json.dumps({"names": n, "metadata": z.read(m[0]).decode() if m else None}))', join(out, wheel)],
      { encoding: 'utf8' },
    );
    const { names, metadata } = JSON.parse(read.stdout || '{"names":[],"metadata":null}');
    for (const needed of ['fstore/__init__.py', 'fstore/_version.py', 'fstore/client.py', 'fstore/types.py', 'fstore/py.typed']) {
      if (!names.includes(needed)) problems.push(`the wheel has no ${needed}`);
    }
    if (!metadata) problems.push('the wheel has no METADATA');
    else if (!metadata.includes(`\nVersion: ${version}\n`)) problems.push(`the wheel's METADATA does not say Version: ${version}`);
    // pandas and pyarrow are the `pandas` extra, not requirements of every install.
    for (const pkg of ['pandas', 'pyarrow']) {
      const lines = (metadata ?? '').split('\n').filter((l) => l.startsWith(`Requires-Dist: ${pkg}`));
      if (lines.length !== 1 || !lines[0].includes('extra == "pandas"')) problems.push(`the wheel should require ${pkg} only in the pandas extra (METADATA: ${lines.join(' | ') || 'none'})`);
    }
  }
  process.stderr.write(`\n--- Python SDK artifacts: ${problems.length === 0 ? `${wheel} and ${sdist}, version ${version}` : problems.join('; ')}\n`);
  if (problems.length > 0) failures.push('Python SDK artifacts');
}

checkClientPackage();

/** Builds and packs @fstore/client, then compiles and runs a consumer of the tarball. */
function checkClientPackage() {
  const name = 'TypeScript client package (@fstore/client)';
  if (!step(`${name}: build`, 'npm', ['run', '--silent', 'build', '--workspace', '@fstore/client'])) return;
  const out = mkdtempSync(join(tmpdir(), 'fstore-client-pack-'));
  // Inside the repository, so the consumer resolves typebox (the package's one dependency) as an install would.
  const consumer = join(root, 'node_modules/.cache/fstore-client-check');
  try {
    const pack = spawnSync('npm', ['pack', '--workspace', '@fstore/client', '--pack-destination', out, '--json'], { cwd: root, encoding: 'utf8' });
    const problems = [];
    const packed = pack.status === 0 ? JSON.parse(pack.stdout)[0] : undefined;
    if (!packed) problems.push(`npm pack failed: ${pack.stderr.trim().split('\n').pop()}`);
    else {
      if (packed.filename !== `fstore-client-${version}.tgz`) problems.push(`packed ${packed.filename}, expected fstore-client-${version}.tgz`);
      const files = packed.files.map((f) => f.path);
      for (const needed of ['package.json', 'README.md', 'dist/api/public.js', 'dist/api/public.d.ts', 'dist/api/client.js', 'dist/domain/schemas.d.ts']) {
        if (!files.includes(needed)) problems.push(`the package has no ${needed}`);
      }
      const strays = files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f));
      if (strays.length > 0) problems.push(`the package carries files outside dist/: ${strays.join(', ')}`);
      rmSync(consumer, { recursive: true, force: true });
      const installed = join(consumer, 'node_modules/@fstore/client');
      mkdirSync(installed, { recursive: true });
      const untar = spawnSync('tar', ['-xzf', join(out, packed.filename), '-C', installed, '--strip-components=1'], { encoding: 'utf8' });
      if (untar.status !== 0) problems.push(`tar: ${untar.stderr.trim()}`);
      writeFileSync(join(consumer, 'package.json'), '{ "type": "module", "private": true }\n');
      writeFileSync(join(consumer, 'consumer.ts'), consumerSource());
      const compile = spawnSync(
        join(root, 'node_modules/.bin/tsc'),
        ['--ignoreConfig', '--strict', '--noEmit', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--skipLibCheck', 'false', '--types', 'node', '--outDir', join(consumer, 'out'), join(consumer, 'consumer.ts')],
        { cwd: consumer, encoding: 'utf8' },
      );
      if (compile.status !== 0) problems.push(`a strict consumer does not compile: ${compile.stdout.trim()}`);
      else {
        const run = spawnSync('node', [join(consumer, 'out/consumer.js')], { cwd: consumer, encoding: 'utf8' });
        if (run.status !== 0 || run.stdout.trim() !== 'ok') problems.push(`the consumer failed: ${(run.stderr || run.stdout).trim()}`);
      }
    }
    process.stderr.write(`\n--- ${name}: ${problems.length === 0 ? `${packed.filename}, ${packed.files.length} files, ${packed.size} bytes; a strict consumer compiles and runs` : problems.join('; ')}\n`);
    if (problems.length > 0) failures.push(name);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(consumer, { recursive: true, force: true });
  }
}

process.stderr.write(`\nrelease:check: ${failures.length === 0 ? 'ok' : `FAILED: ${failures.join(', ')}`}\n`);
process.exit(failures.length === 0 ? 0 : 1);

/** A user's first file: the client, its error and the contract's types, from the package alone. */
function consumerSource() {
  return `import { createFStoreClient, FStoreApiError, type Feature, type FetchLike, type OnlineRequest } from '@fstore/client';

const notFound: FetchLike = async () => ({
  ok: false,
  status: 404,
  headers: { get: () => null },
  json: async () => ({}),
  text: async () => JSON.stringify({ error: { code: 'FSTORE_FEATURE_NOT_FOUND', message: "Feature 'x' does not exist", request_id: 'r1' } }),
});
const client = createFStoreClient({ baseUrl: 'http://127.0.0.1:8000', fetch: notFound });
const request: OnlineRequest = { entity: 'usuario', entity_keys: ['user_123'], feature_list: ['usuario_idade'] };
try {
  const feature: Feature = await client.features.get('x');
  console.log('unexpected', feature.name, request.entity);
} catch (err) {
  console.log(err instanceof FStoreApiError && err.code === 'FSTORE_FEATURE_NOT_FOUND' && err.requestId === 'r1' ? 'ok' : String(err));
}
`;
}
