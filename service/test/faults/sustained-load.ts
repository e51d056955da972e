/** What one request returned: HTTP status plus the error code (or a probe's own verdict on a 200). */
export interface Outcome {
  status: number;
  code?: string;
  message?: string;
}

export interface SustainedLoad {
  readonly outcomes: Outcome[];
  /** Requests that had not returned after the hang bound (they are still recorded when they do). */
  readonly hung: number;
  /** Resolves once `done(outcomes)` holds; throws after `seconds`. */
  until(done: (outcomes: Outcome[]) => boolean, seconds?: number): Promise<void>;
  /** Stops issuing requests, waits for those in flight, returns every outcome in order. */
  stop(): Promise<Outcome[]>;
}

/**
 * Runs `request` back to back on `concurrency` loops until stopped: the sustained traffic a fault
 * is injected under. A request that takes longer than `hangBoundMs` is counted as hung.
 */
export function sustained(request: () => Promise<Outcome>, concurrency: number, hangBoundMs: number): SustainedLoad {
  const outcomes: Outcome[] = [];
  let running = true;
  let hung = 0;
  const loop = async () => {
    while (running) {
      let timer: NodeJS.Timeout | undefined;
      const watchdog = new Promise<void>((r) => (timer = setTimeout(r, hangBoundMs)));
      const call = request().catch((err: unknown) => ({ status: 0, code: 'THREW', message: String(err) }) satisfies Outcome);
      const first = await Promise.race([call, watchdog.then(() => undefined)]);
      if (first === undefined) hung++;
      clearTimeout(timer);
      outcomes.push(await call);
      // Yield so the fault-injecting code and the timers of the test run between requests.
      await new Promise((r) => setImmediate(r));
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    outcomes,
    get hung() {
      return hung;
    },
    async until(done, seconds = 30) {
      const deadline = Date.now() + seconds * 1000;
      while (!done(outcomes)) {
        if (Date.now() > deadline) {
          const last = outcomes.slice(-5);
          throw new Error(`condition not reached in ${seconds} s after ${outcomes.length} requests; last: ${JSON.stringify(last)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}
