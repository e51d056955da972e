/**
 * Definitions as files, independent of any file system (the CLI writes them to disk, the app to a
 * folder the user picks or a download): one YAML file per object, transform code in its own file.
 *
 *   entities/<name>.yaml  feature_groups/<name>.yaml  features/<name>.yaml
 *   data_sources/<name>.yaml  transforms/<name>.yaml (+ <name>.sql or <name>.ts, named by code_file)
 *   feature_services/<name>.yaml
 *
 * YAML rather than TypeScript: definitions are data, readable by any tool and by people who do not
 * write TypeScript, and reading them runs no code.
 */
import { parse, stringify } from 'yaml';
import type { DefinitionBundle } from '../api/definitions.js';
import { NAME_PATTERN } from './names.js';

export const DEFINITION_FOLDERS = ['entities', 'feature_groups', 'features', 'data_sources', 'transforms', 'feature_services'] as const;
export type DefinitionFolder = (typeof DEFINITION_FOLDERS)[number];
const CODE_EXTENSION: Record<string, string> = { sql: '.sql', typescript: '.ts' };

/** A file of a definitions folder: its path relative to the folder ("features/x.yaml") and text. */
export interface DefinitionFile {
  path: string;
  text: string;
}

export class DefinitionFilesError extends Error {}

/** The files that represent a bundle, in a stable order. */
export function bundleToFiles(bundle: DefinitionBundle): DefinitionFile[] {
  const files: DefinitionFile[] = [];
  for (const folder of DEFINITION_FOLDERS) {
    for (const raw of bundle[folder] ?? []) {
      const object = { ...raw };
      const name = String(object['name']);
      if (!NAME_PATTERN.test(name)) throw new DefinitionFilesError(`'${name}' is not a valid name for ${folder}`);
      if (folder === 'transforms' && typeof object['code'] === 'string') {
        const codeFile = `${name}${CODE_EXTENSION[String(object['language'])] ?? '.txt'}`;
        files.push({ path: `${folder}/${codeFile}`, text: object['code'].endsWith('\n') ? object['code'] : `${object['code']}\n` });
        delete object['code'];
        object['code_file'] = codeFile;
      }
      files.push({ path: `${folder}/${name}.yaml`, text: stringify(object, { lineWidth: 0 }) });
    }
  }
  return files;
}

/**
 * The bundle a folder's files describe. `files` holds every file of the definition folders (others are
 * ignored); errors name the file.
 */
export function filesToBundle(files: readonly DefinitionFile[]): DefinitionBundle {
  const bundle: Required<DefinitionBundle> = { entities: [], feature_groups: [], features: [], data_sources: [], transforms: [], feature_services: [] };
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  let count = 0;
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const [folder, name, ...rest] = file.path.split('/');
    if (rest.length > 0 || !name || !/\.ya?ml$/.test(name) || !(DEFINITION_FOLDERS as readonly string[]).includes(folder ?? '')) continue;
    count++;
    let object: unknown;
    try {
      object = parse(file.text);
    } catch (err) {
      throw new DefinitionFilesError(`${file.path}: not valid YAML: ${(err as Error).message}`);
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new DefinitionFilesError(`${file.path}: must be a mapping of fields`);
    const record = { ...(object as Record<string, unknown>) };
    const stem = name.replace(/\.ya?ml$/, '');
    if (record['name'] === undefined) record['name'] = stem;
    if (record['name'] !== stem) throw new DefinitionFilesError(`${file.path}: name '${String(record['name'])}' differs from the file name '${stem}'`);
    if (folder === 'transforms') readCode(`${folder}/`, file.path, record, byPath);
    bundle[folder as DefinitionFolder].push(record);
  }
  // A folder added after the format was set is in the bundle only when it has files: a folder
  // without feature services reads back as the bundle it always was.
  if (bundle.feature_services.length === 0) delete (bundle as DefinitionBundle).feature_services;
  if (count === 0) throw new DefinitionFilesError(`no definition files (expected ${DEFINITION_FOLDERS.map((f) => `${f}/*.yaml`).join(', ')})`);
  return bundle;
}

function readCode(folder: string, where: string, record: Record<string, unknown>, files: Map<string, string>): void {
  const codeFile = record['code_file'];
  if (codeFile === undefined) return;
  delete record['code_file'];
  if (typeof codeFile !== 'string' || codeFile.includes('/') || codeFile.includes('\\') || codeFile.startsWith('.')) {
    throw new DefinitionFilesError(`${where}: code_file must be a file name next to it, e.g. ${String(record['name'])}.sql`);
  }
  if (record['code'] !== undefined) throw new DefinitionFilesError(`${where}: give code or code_file, not both`);
  const code = files.get(`${folder}${codeFile}`);
  if (code === undefined) throw new DefinitionFilesError(`${where}: code_file ${codeFile} is missing`);
  record['code'] = code.replace(/\n$/, '');
}
