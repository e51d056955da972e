import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainInvalidDefinitionFiles } from '@shared/ipc/desktop-api.js';
import { writeDefinitionFiles } from './definitions-export.js';

describe('exporting definitions to a folder', () => {
  it('writes the files and removes definition files the export no longer has', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fstore-export-'));
    mkdirSync(join(folder, 'features'));
    writeFileSync(join(folder, 'features', 'gone.yaml'), 'name: gone\n');
    writeFileSync(join(folder, 'README.md'), 'kept');
    const result = writeDefinitionFiles(folder, [{ path: 'entities/user.yaml', text: 'name: user\n' }]);
    expect(result).toEqual({ written: 1, removed: 1 });
    expect(readFileSync(join(folder, 'entities', 'user.yaml'), 'utf8')).toBe('name: user\n');
    expect(existsSync(join(folder, 'features', 'gone.yaml'))).toBe(false);
    expect(existsSync(join(folder, 'README.md'))).toBe(true);
  });

  it('accepts only definition file paths from the renderer', () => {
    expect(explainInvalidDefinitionFiles([{ path: 'features/a.yaml', text: 'x' }])).toBeUndefined();
    expect(explainInvalidDefinitionFiles([{ path: '../etc/passwd', text: 'x' }])).toMatch(/not a definitions file path/);
    expect(explainInvalidDefinitionFiles([{ path: 'features/../../x.yaml', text: 'x' }])).toMatch(/not a definitions file path/);
    expect(explainInvalidDefinitionFiles([{ path: '/abs/features/a.yaml', text: 'x' }])).toMatch(/not a definitions file path/);
    expect(explainInvalidDefinitionFiles([{ path: 'features/a.yaml', text: 1 }])).toMatch(/text must be a string/);
    expect(explainInvalidDefinitionFiles([{ path: 'features/a.yaml', text: 'x', extra: 1 }])).toMatch(/only path and text/);
    expect(explainInvalidDefinitionFiles('nope')).toMatch(/must be an array/);
  });
});
