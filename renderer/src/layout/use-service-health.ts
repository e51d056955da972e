import { useContext } from 'react';
import { ServiceHealthContext, type ServiceHealthValue } from './service-health-context.js';

/** Whether the service answers, kept current by `ServiceHealthProvider`'s polling. */
export function useServiceHealth(): ServiceHealthValue {
  const value = useContext(ServiceHealthContext);
  if (!value) throw new Error('useServiceHealth must be used inside <ServiceHealthProvider>');
  return value;
}
