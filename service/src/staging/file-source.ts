import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { resolveFormat, type DataFormat } from './data-format.js';

/**
 * A file or glob (`/data/events/*.parquet`) on the service's machine, read in place by DuckDB.
 * Only paths under the configured folders (`fileSourceDirs`) are allowed: the folder part must
 * resolve, symlinks included, inside one of them, and wildcards may only appear in the file name.
 * (Files in an allowed folder that are themselves symlinks are followed: whoever can write into
 * that folder decides what it contains.)
 */
export function resolveFileSource(path: string, allowedDirs: string[], explicitFormat?: string): { path: string; format: DataFormat } {
  if (allowedDirs.length === 0) {
    throw new AppError('FSTORE_FORBIDDEN_PATH', 'Reading files on the server is disabled; set fileSourceDirs (FSTORE_FILE_SOURCE_DIRS) to the folders it may read');
  }
  if (!isAbsolute(path)) throw new AppError('FSTORE_FORBIDDEN_PATH', `'${path}' must be an absolute path`);
  if (path.split(/[\\/]/).includes('..')) throw new AppError('FSTORE_FORBIDDEN_PATH', `'${path}' must not contain '..'`);
  if (path.includes("'") || path.includes(String.fromCharCode(0))) throw new AppError('FSTORE_FORBIDDEN_PATH', `'${path}' contains a character that is not allowed`);
  const wildcard = path.search(/[*?[{]/);
  // Wildcards only in the file name: a wildcard folder could expand through a symlink elsewhere.
  if (wildcard >= 0 && path.lastIndexOf(sep) > wildcard) {
    throw new AppError('FSTORE_FORBIDDEN_PATH', `'${path}': wildcards are allowed in the file name only, not in folders`);
  }
  const fixed = wildcard < 0 ? path : path.slice(0, path.lastIndexOf(sep, wildcard) + 1) || sep;
  let real: string;
  try {
    real = realpathSync(fixed);
  } catch {
    throw new AppError('FSTORE_VALIDATION_FAILED', `'${fixed}' does not exist on the server`);
  }
  const inside = allowedDirs.some((dir) => {
    let root: string;
    try {
      root = realpathSync(resolve(dir));
    } catch {
      return false;
    }
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
  if (!inside) throw new AppError('FSTORE_FORBIDDEN_PATH', `'${path}' is outside the folders FStore may read (${allowedDirs.join(', ')})`);
  const format = resolveFormat(explicitFormat, undefined, path.replace(/[*?[\]{}]/g, 'x'));
  return { path: wildcard < 0 ? real : join(real, path.slice(fixed.length)), format };
}
