// No import cycles in service/src, shared/ and main/, type-only imports included. ESLint's
// import-x/no-cycle (eslint.config.js) follows only imports that bring values; this follows every
// relative or `@shared/` `import`/`export ... from`/`import()`, so a cycle of types is caught too (run by `npm run lint`).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const FOLDERS = ['service/src', 'shared', 'main'];
const SOURCE = /\.(ts|tsx|cts|mts)$/;
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]((?:\.{1,2}|@shared)\/[^'"]+)['"]|(?:^|[\s;(=])import\s*(?:\(\s*)?['"]((?:\.{1,2}|@shared)\/[^'"]+)['"]/g;

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** `./x.js` written in TypeScript names `./x.ts` (or .tsx); `.cjs`/`.mjs` name `.cts`/`.mts`. */
function resolveSpecifier(from, specifier) {
  // `@shared/...` is the path alias of the shared folder (tsconfig.base.json).
  const base = specifier.startsWith('@shared/') ? join(ROOT, 'shared', specifier.slice('@shared/'.length)) : resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.cjs$/, '.cts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c));
}

const graph = new Map();
for (const folder of FOLDERS) {
  for (const file of sources(join(ROOT, folder))) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set();
    for (const match of text.matchAll(SPECIFIER)) {
      const target = resolveSpecifier(file, match[1] ?? match[2]);
      if (target) targets.add(target);
    }
    graph.set(file, targets);
  }
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
let index = 0;
const indexOf = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function connect(v) {
  indexOf.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!indexOf.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indexOf.get(w)));
  }
  if (low.get(v) === indexOf.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v).has(v)) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!indexOf.has(v)) connect(v);

if (cycles.length > 0) {
  for (const component of cycles) {
    process.stderr.write(`Import cycle (type imports included) among:\n${component.map((f) => `  ${relative(ROOT, f)}`).sort().join('\n')}\n`);
  }
  process.stderr.write('Break it by moving what both sides need into a module of its own (see docs/architecture.md).\n');
  process.exit(1);
}
process.stdout.write(`No import cycles among ${graph.size} modules of ${FOLDERS.join(', ')}.\n`);
