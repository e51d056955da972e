/**
 * When an error saying the service cannot be reached is over: once the health poll has seen the
 * service down (at or after the error) and then up again. A check that finds it up without having
 * seen it down (a blip the poll never saw) leaves the error for the user to retry.
 */
import type { ServiceHealth } from './service-health-context.js';

export interface ServiceBackWatch {
  /** The poll has reported the service down since the error appeared. */
  hasSeenDown: boolean;
}

export const NEW_SERVICE_BACK_WATCH: ServiceBackWatch = { hasSeenDown: false };

/** The watch after the poll reports `state`, and whether the error is to be cleared now. */
export function watchServiceBack(watch: ServiceBackWatch, state: ServiceHealth['state']): { watch: ServiceBackWatch; isBack: boolean } {
  switch (state) {
    case 'down':
      return { watch: { hasSeenDown: true }, isBack: false };
    case 'up':
      return watch.hasSeenDown ? { watch: NEW_SERVICE_BACK_WATCH, isBack: true } : { watch, isBack: false };
    case 'checking':
      return { watch, isBack: false };
  }
}
