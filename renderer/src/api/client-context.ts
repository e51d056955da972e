import { createContext } from 'react';
import type { FStoreClient } from '@shared/api/client.js';

export interface ClientContextValue {
  client: FStoreClient;
  /** Base URL of the service, shown in hints such as the curl example. */
  baseUrl: string;
}

export const ClientContext = createContext<ClientContextValue | undefined>(undefined);
