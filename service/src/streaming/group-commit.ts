/**
 * Group commit: callers that submit while a flush is running are merged into the next flush, so
 * N concurrent submitters cost one write instead of N. Each caller's promise settles with the
 * flush that carried its items (a failed flush rejects every caller in it, and each retries on its
 * own). Used by the Kafka consumer, whose partitions are handled concurrently and whose offline
 * writes have a fixed per-transaction cost far larger than the per-value cost.
 */
export class GroupCommit<T> {
  private pending: { items: T[]; waiters: { resolve: () => void; reject: (e: unknown) => void }[] } | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly flush: (items: T[]) => Promise<void>) {}

  submit(items: T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!this.pending) this.pending = { items: [], waiters: [] };
      for (const item of items) this.pending.items.push(item);
      this.pending.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the other batches of the same Kafka fetch (validated in the same turn) join the first flush.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending) {
      const { items, waiters } = this.pending;
      this.pending = undefined;
      try {
        await this.flush(items);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.flushing = undefined;
  }
}
