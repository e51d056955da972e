import { describe, expect, it } from 'vitest';
import { DefinitionFilesError } from '@shared/domain/definition-files.js';
import { MAX_DEFINITION_FILE_BYTES, readDefinitionFolder } from './read-definition-folder.js';

const picked = (relativePath: string, text: string) => ({ relativePath, file: new File([text], relativePath.split('/').pop()!) });

describe('readDefinitionFolder', () => {
  it('reads the files of the five folders, relative to the definitions folder, and counts the others', async () => {
    const folder = await readDefinitionFolder([
      picked('defs/README.md', '# Definitions'),
      picked('defs/features/usuario_idade.yaml', 'name: usuario_idade\n'),
      picked('defs/transforms/stats.sql', 'SELECT 1\n'),
      picked('defs/entities/usuario.yaml', 'name: usuario\n'),
    ]);
    expect(folder).toEqual({
      name: 'defs',
      files: [
        { path: 'entities/usuario.yaml', text: 'name: usuario\n' },
        { path: 'features/usuario_idade.yaml', text: 'name: usuario_idade\n' },
        { path: 'transforms/stats.sql', text: 'SELECT 1\n' },
      ],
      ignored: 1,
    });
  });

  it('refuses a file too large to be a definition, naming it', async () => {
    const large = picked('defs/features/huge.yaml', 'x'.repeat(MAX_DEFINITION_FILE_BYTES + 1));
    const error = await readDefinitionFolder([large]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DefinitionFilesError);
    expect((error as Error).message).toMatch(/^features\/huge\.yaml: larger than 1 MB/);
  });
});
