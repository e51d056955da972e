import { createContext, useContext } from 'react';

export interface ApiKeySettings {
  hasApiKey: boolean;
  /** Opens the dialog where the user enters or clears the API key. */
  openApiKeySettings(): void;
}

export const ApiKeyContext = createContext<ApiKeySettings>({ hasApiKey: false, openApiKeySettings: () => {} });

export function useApiKeySettings(): ApiKeySettings {
  return useContext(ApiKeyContext);
}
