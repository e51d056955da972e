#!/usr/bin/env node
// Entry point of the `fstore` command: runs the compiled CLI (build with `npm run build`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'service', 'src', 'cli', 'run.js');
if (!existsSync(entry)) {
  process.stderr.write(`fstore: the service is not built (${entry} is missing). Run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
