import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const config = parse(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as {
  appId: string;
  productName: string;
  extraMetadata: { main: string };
  files: string[];
  asarUnpack: string[];
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
};

describe('electron-builder.yml', () => {
  it('starts the packaged app on the compiled main that main/tsconfig.json produces', () => {
    const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, 'main', 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { outDir: string };
    };
    const compiledMain = path.relative(repoRoot, path.resolve(repoRoot, 'main', tsconfig.compilerOptions.outDir, 'main.js'));
    expect(config.extraMetadata.main).toBe(compiledMain.split(path.sep).join('/'));
    expect(config.productName).toBe('FStore');
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
  });

  it('ships the build output and the CLI, but no source maps or tests', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'bin/**/*', 'package.json', '!**/*.map', '!**/*.test.*']));
  });

  it('unpacks the native modules from the asar', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/@duckdb/**', 'node_modules/lmdb/**', 'node_modules/@lmdb/**', 'node_modules/msgpackr-extract/**']),
    );
  });

  it('targets AppImage + deb, dmg and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  // app-builder-lib's schema check (what `electron-builder` runs first). Internal path: skipped if it moves.
  const configModule = path.join(repoRoot, 'node_modules', 'app-builder-lib', 'out', 'util', 'config', 'config.js');
  it.skipIf(!existsSync(configModule))('passes electron-builder’s own schema validation', async () => {
    const require = createRequire(import.meta.url);
    const builderConfig = require(configModule) as {
      getConfig(projectDir: string, configPath: null, options: null): Promise<unknown>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require(path.join(repoRoot, 'node_modules', 'builder-util', 'out', 'util.js')) as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    const loaded = await builderConfig.getConfig(repoRoot, null, null);
    await expect(builderConfig.validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
  });
});
