import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, HEALTHY_CHECK_MS, MAX_RETRY_MS, nextHealthCheckDelay } from './health-check-delay.js';

describe('nextHealthCheckDelay', () => {
  it('keeps a steady pace while the service answers', () => {
    expect(nextHealthCheckDelay(0)).toBe(HEALTHY_CHECK_MS);
  });

  it('backs off while it is down: 2 s, 4 s, 8 s, ... up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(nextHealthCheckDelay)).toEqual([FIRST_RETRY_MS, 4_000, 8_000, 16_000, MAX_RETRY_MS, MAX_RETRY_MS, MAX_RETRY_MS]);
  });
});
