import { open, type RootDatabase } from 'lmdb';

/**
 * Where incremental work left off (materialization, SQL pulls), keyed by a caller-chosen name.
 * A watermark only moves after the work up to it has been written, so a crash means redoing a
 * little idempotent work, never skipping any.
 */
export class WatermarkStore {
  private readonly db: RootDatabase<{ value: number | string; updated_at: string }, string>;

  constructor(path: string) {
    this.db = open({ path, compression: false });
  }

  get(name: string): number | string | undefined {
    return this.db.get(name)?.value;
  }

  async set(name: string, value: number | string): Promise<void> {
    await this.db.put(name, { value, updated_at: new Date().toISOString() });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
