/**
 * A bundle of definitions as a folder of YAML files, one per object, so definitions live in git and
 * review as small diffs:
 *
 *   entities/<name>.yaml  feature_groups/<name>.yaml  features/<name>.yaml
 *   data_sources/<name>.yaml  transforms/<name>.yaml (+ <name>.sql or <name>.ts, named by code_file)
 *
 * YAML rather than TypeScript files: definitions are data, readable by any tool and by people who
 * do not write TypeScript, and reading them runs no code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { DefinitionBundle } from '../../../shared/api/definitions.js';
import { NAME_PATTERN } from '../../../shared/domain/names.js';

const FOLDERS = ['entities', 'feature_groups', 'features', 'data_sources', 'transforms'] as const;
type Folder = (typeof FOLDERS)[number];
const CODE_EXTENSION: Record<string, string> = { sql: '.sql', typescript: '.ts' };

export class DefinitionsFolderError extends Error {}

export function readDefinitions(dir: string): DefinitionBundle {
  if (!existsSync(dir)) throw new DefinitionsFolderError(`${dir} does not exist`);
  const bundle: Required<DefinitionBundle> = { entities: [], feature_groups: [], features: [], data_sources: [], transforms: [] };
  let files = 0;
  for (const folder of FOLDERS) {
    const path = join(dir, folder);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      files++;
      const where = join(folder, file);
      let object: unknown;
      try {
        object = parse(readFileSync(join(path, file), 'utf8'));
      } catch (err) {
        throw new DefinitionsFolderError(`${where}: not valid YAML: ${(err as Error).message}`);
      }
      if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new DefinitionsFolderError(`${where}: must be a mapping of fields`);
      const record = { ...(object as Record<string, unknown>) };
      const stem = basename(file, extname(file));
      if (record['name'] === undefined) record['name'] = stem;
      if (record['name'] !== stem) throw new DefinitionsFolderError(`${where}: name '${String(record['name'])}' differs from the file name '${stem}'`);
      if (folder === 'transforms') readCode(path, where, record);
      bundle[folder].push(record);
    }
  }
  if (files === 0) throw new DefinitionsFolderError(`${dir} has no definition files (expected ${FOLDERS.map((f) => `${f}/*.yaml`).join(', ')})`);
  return bundle;
}

/** Writes the bundle, removing files of objects it no longer has; returns the files written. */
export function writeDefinitions(dir: string, bundle: DefinitionBundle): string[] {
  const written: string[] = [];
  for (const folder of FOLDERS) {
    const objects = bundle[folder] ?? [];
    const path = join(dir, folder);
    const keep = new Set<string>();
    if (objects.length > 0) mkdirSync(path, { recursive: true });
    for (const raw of objects) {
      const object = { ...raw };
      const name = String(object['name']);
      if (!NAME_PATTERN.test(name)) throw new DefinitionsFolderError(`'${name}' is not a valid ${folder} name`);
      if (folder === 'transforms' && typeof object['code'] === 'string') {
        const codeFile = `${name}${CODE_EXTENSION[String(object['language'])] ?? '.txt'}`;
        writeFileSync(join(path, codeFile), ensureNewline(object['code']));
        keep.add(codeFile);
        written.push(join(folder, codeFile));
        delete object['code'];
        object['code_file'] = codeFile;
      }
      const file = `${name}.yaml`;
      writeFileSync(join(path, file), stringify(object, { lineWidth: 0 }));
      keep.add(file);
      written.push(join(folder, file));
    }
    if (existsSync(path)) {
      for (const file of readdirSync(path)) if (!keep.has(file) && /\.(ya?ml|sql|ts)$/.test(file)) rmSync(join(path, file));
    }
  }
  return written;
}

function readCode(path: string, where: string, record: Record<string, unknown>): void {
  const codeFile = record['code_file'];
  if (codeFile === undefined) return;
  delete record['code_file'];
  if (typeof codeFile !== 'string' || codeFile.includes('/') || codeFile.includes('\\') || codeFile.startsWith('.')) {
    throw new DefinitionsFolderError(`${where}: code_file must be a file name next to it, e.g. ${String(record['name'])}.sql`);
  }
  if (record['code'] !== undefined) throw new DefinitionsFolderError(`${where}: give code or code_file, not both`);
  try {
    record['code'] = readFileSync(join(path, codeFile), 'utf8').replace(/\n$/, '');
  } catch {
    throw new DefinitionsFolderError(`${where}: code_file ${codeFile} cannot be read`);
  }
}

function ensureNewline(code: unknown): string {
  const text = String(code);
  return text.endsWith('\n') ? text : `${text}\n`;
}

export type { Folder };
