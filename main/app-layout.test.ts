import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appLayout } from './app-layout.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('appLayout', () => {
  it('finds the renderer, preload and CLI from where tsc puts the compiled main', () => {
    const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, 'main', 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { outDir: string };
    };
    const compiledMainDir = path.resolve(repoRoot, 'main', tsconfig.compilerOptions.outDir);
    const layout = appLayout(compiledMainDir);
    expect(layout.appRoot).toBe(path.resolve(repoRoot));
    expect(layout.preloadPath).toBe(path.join(repoRoot, 'dist', 'main', 'preload.cjs'));
    expect(layout.rendererDir).toBe(path.join(repoRoot, 'dist', 'renderer'));
    expect(layout.serviceCliPath).toBe(path.join(repoRoot, 'bin', 'fstore.js'));
  });

  it('works inside a packaged app.asar', () => {
    const layout = appLayout('/opt/FStore/resources/app.asar/dist/main');
    expect(layout.appRoot).toBe('/opt/FStore/resources/app.asar');
    expect(layout.serviceCliPath).toBe('/opt/FStore/resources/app.asar/bin/fstore.js');
  });
});
