import { createContext } from 'react';

export type ServiceHealth =
  | { state: 'checking' }
  | { state: 'up'; version: string }
  /** `nextCheckAt`: epoch ms of the next automatic check. */
  | { state: 'down'; error: unknown; nextCheckAt: number };

export interface ServiceHealthValue {
  health: ServiceHealth;
  /** A check is under way (the first one, a scheduled one, or a retry). */
  isChecking: boolean;
  /** Checks now instead of waiting for the next scheduled check. */
  retry: () => void;
}

export const ServiceHealthContext = createContext<ServiceHealthValue | undefined>(undefined);
