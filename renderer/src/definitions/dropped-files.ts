/** The files of folders dropped on the page, through the (webkit) entries API that browsers and Electron share. */
import type { PickedFile } from './read-definition-folder.js';

/** Dropped folder/definition-folder/file: deeper files are not definitions and are not listed. */
const MAX_DEPTH = 2;

/** Must run during the drop event: the browser empties the DataTransfer afterwards. */
export function droppedEntries(dataTransfer: DataTransfer): FileSystemEntry[] {
  return Array.from(dataTransfer.items).flatMap((item) => {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    return entry ? [entry] : [];
  });
}

export async function filesOfEntries(entries: readonly FileSystemEntry[]): Promise<PickedFile[]> {
  const found: PickedFile[] = [];
  const visit = async (entry: FileSystemEntry, depth: number): Promise<void> => {
    if (entry.name.startsWith('.')) return;
    if (isFile(entry)) {
      const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
      found.push({ relativePath: entry.fullPath.replace(/^\/+/, ''), file });
    } else if (isDirectory(entry) && depth < MAX_DEPTH) {
      for (const child of await readAllEntries(entry.createReader())) await visit(child, depth + 1);
    }
  };
  for (const entry of entries) await visit(entry, 0);
  return found;
}

/** readEntries answers in batches (100 in Chromium) until an empty one. */
async function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;
