import { describe, expect, it } from 'vitest';
import { bundleToFiles, DefinitionFilesError, filesToBundle } from './definition-files.js';

describe('definition files', () => {
  const bundle = {
    entities: [{ name: 'user', join_key: 'user_id', tags: ['core'] }],
    transforms: [{ name: 'user_avg', entity: 'user', language: 'sql', sources: ['tx'], code: 'SELECT 1\nFROM tx' }],
  };

  it('writes one YAML file per object and transform code next to it, and reads them back', () => {
    const files = bundleToFiles(bundle);
    expect(files.map((f) => f.path)).toEqual(['entities/user.yaml', 'transforms/user_avg.sql', 'transforms/user_avg.yaml']);
    expect(files[1]!.text).toBe('SELECT 1\nFROM tx\n');
    expect(files[2]!.text).toContain('code_file: user_avg.sql');
    expect(filesToBundle(files)).toEqual({ ...bundle, feature_groups: [], features: [], data_sources: [] });
  });

  it('names the file of every problem', () => {
    expect(() => filesToBundle([{ path: 'features/x.yaml', text: 'a: [' }])).toThrow(/features\/x\.yaml: not valid YAML/);
    expect(() => filesToBundle([{ path: 'features/x.yaml', text: '- a' }])).toThrow(/must be a mapping/);
    expect(() => filesToBundle([{ path: 'transforms/t.yaml', text: 'code_file: t.sql' }])).toThrow(/code_file t\.sql is missing/);
    expect(() => filesToBundle([{ path: 'transforms/t.yaml', text: 'code_file: ../secret' }])).toThrow(DefinitionFilesError);
    expect(() => filesToBundle([{ path: 'notes/readme.yaml', text: 'x: 1' }])).toThrow(/no definition files/);
  });
});
