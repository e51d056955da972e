// Sets FStore's version everywhere it is written: package.json (the source: the service, CLI and
// desktop app read it), the @fstore/client package (clients/typescript), package-lock.json, the
// service's SERVICE_VERSION and the Python SDK's __version__ (its wheel takes it from there). `npm run set-version -- 0.2.0`.
// A unit test (service/test/version-sources.test.ts) fails when any copy drifts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args[rootAt + 1] : new URL('..', import.meta.url).pathname;
const version = args.find((a, i) => !a.startsWith('--') && (rootAt < 0 || i !== rootAt + 1));
// Semantic Versioning 2.0.0 (the regular expression semver.org suggests, without build metadata).
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;
if (!version || !SEMVER.test(version)) {
  process.stderr.write(`set-version: give a semantic version such as 0.2.0 or 1.0.0-rc.1${version ? `, not '${version}'` : ''}\n`);
  process.exit(2);
}

/** Each file with the edit that writes the version into it; all are checked before any is written. */
const edits = [
  ['package.json', (text) => replaceOnce(text, /^(\s*"version": )"[^"]*"/m, `$1"${version}"`)],
  ['package-lock.json', (text) => {
    const lock = JSON.parse(text);
    lock.version = version;
    if (lock.packages?.['']) lock.packages[''].version = version;
    if (lock.packages?.['clients/typescript']) lock.packages['clients/typescript'].version = version;
    return `${JSON.stringify(lock, null, 2)}\n`;
  }],
  ['clients/typescript/package.json', (text) => replaceOnce(text, /^(\s*"version": )"[^"]*"/m, `$1"${version}"`)],
  ['service/src/version.ts', (text) => replaceOnce(text, /(export const SERVICE_VERSION = )'[^']*'/, `$1'${version}'`)],
  ['sdk/python/fstore/_version.py', (text) => replaceOnce(text, /^(__version__ = )"[^"]*"/m, `$1"${version}"`)],
];

function replaceOnce(text, pattern, replacement) {
  if (!pattern.test(text)) throw new Error(`no version found by ${pattern}`);
  return text.replace(pattern, replacement);
}

const written = edits.map(([file, edit]) => {
  const path = join(root, file);
  try {
    return [path, edit(readFileSync(path, 'utf8'))];
  } catch (err) {
    process.stderr.write(`set-version: ${file}: ${err.message}; nothing was changed\n`);
    process.exit(1);
  }
});
for (const [path, text] of written) writeFileSync(path, text);
process.stdout.write(`FStore version set to ${version} in ${edits.map(([f]) => f).join(', ')}; add its section to CHANGELOG.md\n`);
