import { copyFile, rename, rm } from 'node:fs/promises';

/**
 * Moves a finished file into place: a rename, or across file systems (a shared folder on another
 * mount) a copy to `<target>.part` then a rename, so readers of `target` never see half a file.
 * The source is gone afterwards either way; on failure nothing is left at `target`.
 */
export async function moveFile(source: string, target: string): Promise<void> {
  try {
    await rename(source, target);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') {
      await rm(source, { force: true });
      throw err;
    }
  }
  const part = `${target}.part`;
  try {
    await copyFile(source, part);
    await rename(part, target);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  } finally {
    await rm(source, { force: true });
  }
}
