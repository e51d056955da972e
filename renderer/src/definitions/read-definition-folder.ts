/** Reads the definition files of a picked or dropped folder, leaving every other file unread. */
import { DefinitionFilesError, type DefinitionFile } from '@shared/domain/definition-files.js';
import { i18n } from '../i18n/i18n.js';
import { definitionPath, topFolderName } from './definition-paths.js';

/** A file with its path inside what the user picked ("defs/features/x.yaml"). */
export interface PickedFile {
  relativePath: string;
  file: File;
}

export interface DefinitionFolder {
  /** The picked folder's name, when known. */
  name: string | undefined;
  files: DefinitionFile[];
  /** Files outside the five definition folders (README, .git, …), not read. */
  ignored: number;
}

/** The desktop export and the service refuse larger definition files; so does reading. */
export const MAX_DEFINITION_FILE_BYTES = 1_000_000;

export async function readDefinitionFolder(picked: readonly PickedFile[]): Promise<DefinitionFolder> {
  const chosen = picked.flatMap(({ relativePath, file }) => {
    const path = definitionPath(relativePath);
    return path === undefined ? [] : [{ path, file }];
  });
  const tooLarge = chosen.find(({ file }) => file.size > MAX_DEFINITION_FILE_BYTES);
  if (tooLarge) throw new DefinitionFilesError(i18n.t('definitions:tooLarge', { path: tooLarge.path, size: MAX_DEFINITION_FILE_BYTES / 1_000_000 }));
  const files = await Promise.all(chosen.map(async ({ path, file }) => ({ path, text: await file.text() })));
  return { name: topFolderName(picked.map((p) => p.relativePath)), files: files.sort((a, b) => a.path.localeCompare(b.path)), ignored: picked.length - files.length };
}

/** The files of an `<input type="file" webkitdirectory>`, with the paths Chromium gives them. */
export function pickedFromInput(files: FileList | null): PickedFile[] {
  return Array.from(files ?? []).map((file) => ({ relativePath: file.webkitRelativePath || file.name, file }));
}
