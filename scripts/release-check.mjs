// `npm run release:check`: what a release needs, checked without publishing anything.
// 1. openapi.json (committed) is the service's current contract, and it passes the OpenAPI linter
//    (Redocly, rules in redocly.yaml).
// 2. The Python SDK builds as a wheel and an sdist (`python -m build`, in a throwaway virtualenv),
//    named and versioned as package.json says, with the package's modules and typing marker inside.
// Every step runs; the exit code is 1 when any failed. The TypeScript client is not a package of
// its own yet (issue 26): it ships inside the service and app.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

process.stderr.write(`\nrelease:check: ${failures.length === 0 ? 'ok' : `FAILED: ${failures.join(', ')}`}\n`);
process.exit(failures.length === 0 ? 0 : 1);
