/**
 * A fixed number of slots, each held by one caller at a time, handed out first come first served.
 * The TypeScript sandbox keeps one process per slot, so the pool's size bounds the processes (and
 * cores) its callers can keep busy, and a caller with a deadline stops waiting instead of queueing
 * behind others for ever.
 */
export class SlotPool<T> {
  private readonly idle: T[];
  private readonly waiting: Waiter<T>[] = [];
  private closedError: Error | undefined;

  constructor(readonly slots: readonly T[]) {
    if (slots.length === 0) throw new Error('A pool needs at least one slot');
    this.idle = [...slots];
  }

  /** How many callers hold a slot now. */
  get busy(): number {
    return this.slots.length - this.idle.length;
  }

  /**
   * A free slot, waiting for one if needed. With `waitMs` the wait is bounded: the promise rejects
   * with `onTimeout()` when no slot was free in time.
   */
  acquire(waitMs?: number, onTimeout?: () => Error): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const slot = this.idle.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined };
      if (waitMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(onTimeout?.() ?? new Error(`No slot was free within ${waitMs} ms`));
        }, Math.max(0, waitMs));
      }
      this.waiting.push(waiter);
    });
  }

  /** Gives a slot back: to the longest waiting caller, else to the idle list. */
  release(slot: T): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(slot);
    } else {
      this.idle.push(slot);
    }
  }

  /** Refuses new callers and fails the waiting ones with `error`. */
  close(error: Error): void {
    this.closedError = error;
    for (const waiter of this.waiting.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}

interface Waiter<T> {
  resolve: (slot: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}
