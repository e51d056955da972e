import { describe, expect, it } from 'vitest';
import { runSoak } from '../../../bench/soak.js';

/**
 * A short soak (the full one is `npm run bench:soak`, results in bench/results/soak.md): half of
 * the measured capacity, reads and pushes mixed. Asserts what must hold on any machine — no failed
 * request and memory within the stated bound — never a speed.
 */
describe('soak (20 s, loopback, half of measured capacity)', () => {
  it('answers every request successfully and keeps memory within the bound', async () => {
    const result = await runSoak({ seconds: 20, probeSeconds: 3, log: () => undefined });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.memory.samples.length).toBeGreaterThanOrEqual(10);
    expect({ errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts }).toEqual({ errors: 0, non2xx: 0, timeouts: 0 });
    expect(result.failures).toEqual([]);
  }, 120_000);
});
