/**
 * Keeps the online writes of one feature group in the order of their offline commits. Ties on
 * (key, feature, event time) go to the most recently ingested value: offline that is the write that
 * committed last, online the write applied last. Two writes of one group that overlap (a file whose
 * online phase is still running when a push commits) could otherwise reach the online store in the
 * other order and serve a value the offline history replaced. Nothing is held across the offline
 * commit itself (the stores serialise those), so no write waits on a lock another holds there.
 * One process only: replicas sharing servers order their writes each on their own (docs/serving.md).
 */
export class OnlineWriteOrder {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Takes the group's next turn. Call it right after the offline commit resolves, with no await in
   * between; `ready` settles when every earlier turn of the group is done, and `done` must be
   * called once this write's online values are written (or failed).
   */
  enter(entity: string, group: string): { ready: Promise<void>; done: () => void } {
    const id = `${entity}\u0000${group}`;
    const previous = this.tails.get(id) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return { ready: previous, done };
  }
}
