import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import type { DataFormat } from './data-format.js';

export interface Upload {
  upload_id: string;
  filename: string | null;
  format: DataFormat;
  size_bytes: number;
  created_at: string;
}

const TTL_MS = 3_600_000;
const ID = /^[0-9a-f-]{36}$/;

/**
 * Files received once, then previewed (dry run) and ingested by id, so the app uploads a large
 * file a single time. They live in the data folder's tmp/ and expire after an hour.
 */
export class UploadStore {
  private readonly dir: string;

  constructor(tmpDir: string) {
    this.dir = join(tmpDir, 'uploads');
    mkdirSync(this.dir, { recursive: true });
  }

  /** A path to write a new upload's bytes to, and how to register it once written. */
  reserve(format: DataFormat): { id: string; path: string } {
    this.sweep();
    const id = randomUUID();
    return { id, path: join(this.dir, `${id}.${format}`) };
  }

  register(id: string, format: DataFormat, filename: string | null): Upload {
    const upload: Upload = {
      upload_id: id,
      filename,
      format,
      size_bytes: statSync(join(this.dir, `${id}.${format}`)).size,
      created_at: new Date().toISOString(),
    };
    writeFileSync(join(this.dir, `${id}.meta`), JSON.stringify(upload));
    return upload;
  }

  get(id: string): Upload & { path: string } {
    // The id becomes a file name: only our own UUIDs are accepted (no path traversal).
    if (!ID.test(id)) throw new AppError('FSTORE_UPLOAD_NOT_FOUND', `Upload '${id}' does not exist`);
    let upload: Upload;
    try {
      upload = JSON.parse(readFileSync(join(this.dir, `${id}.meta`), 'utf8')) as Upload;
    } catch {
      throw new AppError('FSTORE_UPLOAD_NOT_FOUND', `Upload '${id}' does not exist or has expired (uploads are kept for an hour)`);
    }
    return { ...upload, path: join(this.dir, `${id}.${upload.format}`) };
  }

  remove(id: string): void {
    for (const f of readdirSync(this.dir)) if (f.startsWith(`${id}.`)) rmSync(join(this.dir, f), { force: true });
  }

  private sweep(): void {
    const cutoff = Date.now() - TTL_MS;
    for (const f of readdirSync(this.dir)) {
      const path = join(this.dir, f);
      try {
        if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
      } catch {
        // removed concurrently
      }
    }
  }
}
