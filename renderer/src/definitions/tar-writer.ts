/**
 * A minimal POSIX ustar writer: regular files and directories, enough for `tar -xf` to rebuild a
 * folder. Written here rather than pulled in as a dependency: the format is a 512-byte header per
 * entry, the content padded to 512 bytes, and two zero blocks at the end.
 */

export interface TarFile {
  /** Relative, '/'-separated ("definitions/features/x.yaml"). */
  path: string;
  text: string;
}

const BLOCK = 512;
/** tar reads and writes in records of 20 blocks; archives are padded to a whole record. */
const RECORD = 20 * BLOCK;
const FILE_MODE = 0o644;
const DIRECTORY_MODE = 0o755;
const encoder = new TextEncoder();

interface Entry {
  path: string;
  type: 'file' | 'directory';
  content: Uint8Array;
}

/** The archive of `files`, with an entry for each folder before its contents; `mtimeSeconds` stamps every entry. */
export function createTar(files: readonly TarFile[], mtimeSeconds: number): Uint8Array<ArrayBuffer> {
  const entries = toEntries(files);
  const size = entries.reduce((total, e) => total + BLOCK + padded(e.content.length), 0) + 2 * BLOCK;
  const archive = new Uint8Array(Math.ceil(size / RECORD) * RECORD);
  let offset = 0;
  for (const entry of entries) {
    archive.set(header(entry, mtimeSeconds), offset);
    offset += BLOCK;
    archive.set(entry.content, offset);
    offset += padded(entry.content.length);
  }
  // The rest stays zero: the two end-of-archive blocks and the record padding.
  return archive;
}

function toEntries(files: readonly TarFile[]): Entry[] {
  const directories = new Set<string>();
  const seen = new Set<string>();
  for (const file of files) {
    const segments = checkedSegments(file.path);
    if (seen.has(file.path)) throw new Error(`${file.path} is listed twice`);
    seen.add(file.path);
    for (let i = 1; i < segments.length; i++) directories.add(`${segments.slice(0, i).join('/')}/`);
  }
  const folderEntries: Entry[] = [...directories].sort().map((path) => ({ path, type: 'directory', content: new Uint8Array(0) }));
  const fileEntries: Entry[] = [...files]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => ({ path: f.path, type: 'file', content: encoder.encode(f.text) }));
  return [...folderEntries, ...fileEntries];
}

function checkedSegments(path: string): string[] {
  const segments = path.split('/');
  if (path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..') || path.includes('\0')) {
    throw new Error(`'${path}' is not a relative file path`);
  }
  return segments;
}

function header(entry: Entry, mtimeSeconds: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const { name, prefix } = splitPath(entry.path);
  writeText(block, 0, 100, name);
  writeOctal(block, 100, 8, entry.type === 'file' ? FILE_MODE : DIRECTORY_MODE);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, entry.content.length);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(mtimeSeconds)));
  block.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  block[156] = (entry.type === 'file' ? '0' : '5').charCodeAt(0);
  writeText(block, 257, 6, 'ustar\0');
  writeText(block, 263, 2, '00');
  writeOctal(block, 329, 8, 0); // devmajor
  writeOctal(block, 337, 8, 0); // devminor
  writeText(block, 345, 155, prefix);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  writeText(block, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** ustar keeps up to 100 bytes in `name` and the leading folders (up to 155 bytes) in `prefix`. */
function splitPath(path: string): { name: string; prefix: string } {
  if (byteLength(path) <= 100) return { name: path, prefix: '' };
  const trailing = path.endsWith('/') ? 1 : 0;
  for (let cut = path.lastIndexOf('/', path.length - 1 - trailing); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (byteLength(name) > 100) break;
    if (byteLength(prefix) <= 155) return { name, prefix };
  }
  throw new Error(`'${path}' is too long for a tar archive`);
}

function writeText(block: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) throw new Error(`'${text}' does not fit in ${length} bytes`);
  block.set(bytes, offset);
}

/** An octal number, zero-padded, NUL-terminated, filling the field. */
function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`${value} does not fit in a ${length}-byte tar field`);
  writeText(block, offset, length, `${digits.padStart(length - 1, '0')}\0`);
}

function padded(length: number): number {
  return Math.ceil(length / BLOCK) * BLOCK;
}

function byteLength(text: string): number {
  return encoder.encode(text).length;
}
