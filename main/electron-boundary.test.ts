import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ELECTRON_FILES = ['main.ts', 'preload.cts'];
const dir = new URL('./', import.meta.url);

describe('the Electron boundary', () => {
  it('keeps every main/ module except main.ts and preload.cts free of electron, so it runs in plain Node', () => {
    const sources = readdirSync(dir).filter((f) => /\.(c|m)?ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(sources).toEqual(expect.arrayContaining(ELECTRON_FILES));
    const offenders = sources
      .filter((file) => !ELECTRON_FILES.includes(file))
      .filter((file) => /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/.test(readFileSync(new URL(file, dir), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
