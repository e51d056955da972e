/**
 * Writes definition files (already validated: paths inside the five folders) into a folder the
 * user chose, and removes definition files there that the export no longer has, so the folder
 * mirrors the registry like `fstore export` does.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DefinitionFileData } from '@shared/ipc/desktop-api.js';

const FOLDERS = ['entities', 'feature_groups', 'features', 'data_sources', 'transforms'];

export function writeDefinitionFiles(folder: string, files: readonly DefinitionFileData[]): { written: number; removed: number } {
  const keep = new Set(files.map((f) => f.path));
  for (const file of files) {
    const target = join(folder, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
  let removed = 0;
  for (const sub of FOLDERS) {
    const path = join(folder, sub);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path)) {
      if (keep.has(`${sub}/${name}`) || !/\.(ya?ml|sql|ts)$/.test(name)) continue;
      rmSync(join(path, name));
      removed++;
    }
  }
  return { written: files.length, removed };
}
