/** A definitions folder on disk (the format is in shared/domain/definition-files.ts). */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DefinitionBundle } from '@shared/api/definitions.js';
import { bundleToFiles, DEFINITION_FOLDERS, filesToBundle, type DefinitionFile } from '@shared/domain/definition-files.js';

export { DefinitionFilesError as DefinitionsFolderError } from '@shared/domain/definition-files.js';

export function readDefinitions(dir: string): DefinitionBundle {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  const files: DefinitionFile[] = [];
  for (const folder of DEFINITION_FOLDERS) {
    const path = join(dir, folder);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path)) files.push({ path: `${folder}/${file}`, text: readFileSync(join(path, file), 'utf8') });
  }
  return filesToBundle(files);
}

/** Writes the bundle's files, removing files of objects it no longer has; returns the paths written. */
export function writeDefinitions(dir: string, bundle: DefinitionBundle): string[] {
  const files = bundleToFiles(bundle);
  const keep = new Set(files.map((f) => f.path));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }
  for (const folder of DEFINITION_FOLDERS) {
    const path = join(dir, folder);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path)) if (!keep.has(`${folder}/${file}`) && /\.(ya?ml|sql|ts)$/.test(file)) rmSync(join(path, file));
  }
  return files.map((f) => f.path);
}
