import type { DefinitionFile } from '@shared/domain/definition-files.js';
import { createTar } from './tar-writer.js';

/** The folder that `tar -xf definitions.tar` creates, with the layout `fstore export` writes. */
export const ARCHIVE_FOLDER = 'definitions';
export const ARCHIVE_FILE_NAME = `${ARCHIVE_FOLDER}.tar`;

export function definitionsArchive(files: readonly DefinitionFile[], now: number): Uint8Array<ArrayBuffer> {
  return createTar(
    files.map((f) => ({ path: `${ARCHIVE_FOLDER}/${f.path}`, text: f.text })),
    now / 1000,
  );
}
