/**
 * Builds the renderer: the React app shown by Electron and served by `fstore serve` at `/`.
 * `base: './'` keeps asset URLs relative, so the same build works from http://host/ and from an
 * Electron custom protocol. Nothing is inlined as script, to satisfy the strict CSP.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { pathAlias } from '../path-alias.js';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/** Smaller files gain nothing worth a second request path; binary formats are compressed already. */
const PRECOMPRESS_MIN_BYTES = 1024;
const PRECOMPRESSIBLE = /\.(js|css|html|svg|json|ttf)$/;

/**
 * Writes `.br` and `.gz` copies of each text asset after the build, at top quality (too slow to
 * do per request): `fstore serve` sends them as they are (@fastify/static `preCompressed`).
 */
function precompress(): Plugin {
  return {
    name: 'fstore-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!PRECOMPRESSIBLE.test(file)) continue;
        const content = readFileSync(file);
        if (content.length < PRECOMPRESS_MIN_BYTES) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  resolve: { alias: pathAlias },
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // Module preload polyfill is an inline script; the CSP forbids it and Chromium does not need it.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 900,
  },
  server: {
    port: 5173,
    // During `npm run dev:renderer` the REST calls go to a local `fstore serve`.
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/health': 'http://127.0.0.1:8000',
    },
  },
});
