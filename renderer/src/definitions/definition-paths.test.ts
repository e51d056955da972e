import { describe, expect, it } from 'vitest';
import { definitionPath, topFolderName } from './definition-paths.js';

describe('definitionPath', () => {
  it('strips the picked top folder from Chromium relative paths', () => {
    expect(definitionPath('defs/features/usuario_idade.yaml')).toBe('features/usuario_idade.yaml');
    expect(definitionPath('definitions/transforms/stats.sql')).toBe('transforms/stats.sql');
  });

  it('accepts dropped entries, with a leading slash, and the five folders dropped on their own', () => {
    expect(definitionPath('/defs/entities/usuario.yaml')).toBe('entities/usuario.yaml');
    expect(definitionPath('data_sources/transactions.yaml')).toBe('data_sources/transactions.yaml');
    expect(definitionPath('defs\\feature_groups\\perfil.yaml')).toBe('feature_groups/perfil.yaml');
  });

  it('leaves out files that are not directly inside one of the five folders', () => {
    expect(definitionPath('defs/README.md')).toBeUndefined();
    expect(definitionPath('defs/.git/config')).toBeUndefined();
    expect(definitionPath('defs/.git/objects/ab/cdef')).toBeUndefined();
    expect(definitionPath('defs/features/old/x.yaml')).toBeUndefined();
    expect(definitionPath('defs/models/x.yaml')).toBeUndefined();
    expect(definitionPath('defs/features/.x.yaml.swp')).toBeUndefined();
    expect(definitionPath('x.yaml')).toBeUndefined();
  });
});

describe('topFolderName', () => {
  it('names the picked folder, or nothing when the five folders were dropped on their own', () => {
    expect(topFolderName(['defs/README.md', 'defs/features/x.yaml'])).toBe('defs');
    expect(topFolderName(['features/x.yaml'])).toBeUndefined();
  });
});
