// Fails when the built service (dist/service, dist/shared) imports a package that is not a
// production dependency: `npm prune --omit=dev` (the Docker image) and electron-builder (the
// desktop app) ship only "dependencies", so such an import would break only after packaging.
// Run after `npm run build` (npm test does).
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules);
const roots = ['dist/service/src', 'dist/shared'].map((d) => join(root, d));
if (!roots.every(existsSync)) {
  console.error('check-runtime-deps: dist/ is missing; run `npm run build` first');
  process.exit(1);
}

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["']([^"'./][^"']*)["']/g;
const packageOf = (specifier) => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};
const missing = new Map();
let files = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.js')) {
      files++;
      for (const [, specifier] of readFileSync(path, 'utf8').matchAll(IMPORT)) {
        if (specifier.startsWith('node:')) continue;
        const pkg = packageOf(specifier);
        if (!builtins.has(pkg) && !(pkg in dependencies) && !missing.has(pkg)) missing.set(pkg, path.slice(root.length));
      }
    }
  }
};
roots.forEach(walk);
if (missing.size > 0) {
  for (const [pkg, file] of missing) {
    console.error(
      pkg.startsWith('@shared/')
        ? `${file} still imports the path alias ${pkg}/...: build with \`npm run build:ts\` (tsc, then tsc-alias), not tsc alone`
        : `${pkg} is imported by ${file} but is not in package.json "dependencies"`,
    );
  }
  process.exit(1);
}
console.log(`Every package the built service imports (${files} files) is a production dependency.`);
