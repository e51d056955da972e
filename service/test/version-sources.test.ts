import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_VERSION } from '../src/version.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const COPIES = ['package.json', 'package-lock.json', 'clients/typescript/package.json', 'service/src/version.ts', 'sdk/python/fstore/_version.py'];
const SCRIPT = join(ROOT, 'scripts/set-version.mjs');

const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8');
const versions = (root: string) => ({
  package: (JSON.parse(read(root, 'package.json')) as { version: string }).version,
  lock: (JSON.parse(read(root, 'package-lock.json')) as { version: string; packages: Record<string, { version: string }> }).version,
  lockRoot: (JSON.parse(read(root, 'package-lock.json')) as { packages: Record<string, { version: string }> }).packages['']!.version,
  client: (JSON.parse(read(root, 'clients/typescript/package.json')) as { version: string }).version,
  lockClient: (JSON.parse(read(root, 'package-lock.json')) as { packages: Record<string, { version: string }> }).packages['clients/typescript']!.version,
  service: /SERVICE_VERSION = '([^']*)'/.exec(read(root, 'service/src/version.ts'))?.[1],
  python: /^__version__ = "([^"]*)"/m.exec(read(root, 'sdk/python/fstore/_version.py'))?.[1],
});

/** A copy of the files that hold the version, for the script to change. */
function copyOfSources(): string {
  const root = mkdtempSync(join(tmpdir(), 'fstore-version-'));
  for (const file of COPIES) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(ROOT, file), join(root, file));
  }
  return root;
}

describe('one version for the service, CLI, app and SDKs', () => {
  it('is written the same in every place that holds it', () => {
    const found = versions(ROOT);
    expect(found).toEqual({ package: SERVICE_VERSION, lock: SERVICE_VERSION, lockRoot: SERVICE_VERSION, client: SERVICE_VERSION, lockClient: SERVICE_VERSION, service: SERVICE_VERSION, python: SERVICE_VERSION });
  });

  it('is changed everywhere at once by npm run set-version, and nowhere for a version that is not semantic', () => {
    const root = copyOfSources();
    execFileSync('node', [SCRIPT, '2.3.0-rc.1', '--root', root]);
    const v = '2.3.0-rc.1';
    expect(versions(root)).toEqual({ package: v, lock: v, lockRoot: v, client: v, lockClient: v, service: v, python: v });
    // Only the version changed in the lockfile.
    expect(read(root, 'package-lock.json').replaceAll('"version": "2.3.0-rc.1"', `"version": "${SERVICE_VERSION}"`)).toBe(read(ROOT, 'package-lock.json'));

    for (const bad of ['2.4', 'v2.4.0', '02.4.0']) {
      const run = spawnSync('node', [SCRIPT, bad, '--root', root], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`give a semantic version such as 0.2.0 or 1.0.0-rc.1, not '${bad}'`);
    }
    expect(versions(root).package).toBe('2.3.0-rc.1');
  });
});
