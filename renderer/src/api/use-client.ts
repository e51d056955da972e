import { useContext } from 'react';
import { ClientContext, type ClientContextValue } from './client-context.js';

/** The typed REST client for the current service; only valid under `ClientProvider`. */
export function useClient(): ClientContextValue {
  const value = useContext(ClientContext);
  if (!value) throw new Error('useClient must be used inside <ClientProvider>');
  return value;
}
