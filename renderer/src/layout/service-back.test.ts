import { describe, expect, it } from 'vitest';
import { NEW_SERVICE_BACK_WATCH, watchServiceBack, type ServiceBackWatch } from './service-back.js';
import type { ServiceHealth } from './service-health-context.js';

function run(states: ServiceHealth['state'][]): boolean[] {
  let watch: ServiceBackWatch = NEW_SERVICE_BACK_WATCH;
  return states.map((state) => {
    const next = watchServiceBack(watch, state);
    watch = next.watch;
    return next.isBack;
  });
}

describe('watchServiceBack', () => {
  it('clears once the poll has seen the service down and then up', () => {
    expect(run(['up', 'down', 'down', 'up'])).toEqual([false, false, false, true]);
    expect(run(['checking', 'down', 'up', 'up'])).toEqual([false, false, true, false]);
  });

  it('keeps the error when the poll never saw the service down (a blip)', () => {
    expect(run(['up', 'up', 'checking', 'up'])).toEqual([false, false, false, false]);
  });
});
