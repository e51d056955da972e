/** Where a picked or dropped file sits in a definitions folder. */
import { DEFINITION_FOLDERS } from '@shared/domain/definition-files.js';

const isDefinitionFolder = (segment: string | undefined) => (DEFINITION_FOLDERS as readonly (string | undefined)[]).includes(segment);

/**
 * A file's path relative to the definitions folder ("features/x.yaml"), or undefined for files that
 * are not directly inside one of its five folders (README, .git, deeper files).
 *
 * Chromium names a picked folder's files from that folder ("defs/features/x.yaml"): the top folder
 * is stripped. Dropping the five folders themselves gives "features/x.yaml", kept as it is.
 */
export function definitionPath(relativePath: string): string | undefined {
  const segments = relativePath.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  const inFolder = segments.length === 2 ? segments : segments.length === 3 ? segments.slice(1) : undefined;
  if (!inFolder || !isDefinitionFolder(inFolder[0]) || inFolder[1]!.startsWith('.')) return undefined;
  return inFolder.join('/');
}

/** The picked folder's name ("defs" of "defs/features/x.yaml"), when the paths have one. */
export function topFolderName(relativePaths: readonly string[]): string | undefined {
  for (const path of relativePaths) {
    const segments = path.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
    if (segments.length === 3 && isDefinitionFolder(segments[1])) return segments[0];
  }
  return undefined;
}
