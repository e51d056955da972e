/**
 * Builds the renderer: the React app shown by Electron and served by `fstore serve` at `/`.
 * `base: './'` keeps asset URLs relative, so the same build works from http://host/ and from an
 * Electron custom protocol. Nothing is inlined as script, to satisfy the strict CSP.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
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
