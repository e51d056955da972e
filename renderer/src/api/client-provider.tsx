import { useEffect, useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import { createFStoreClient } from '@shared/api/client.js';
import { LoadingState } from '../common/loading-state.js';
import { ClientContext } from './client-context.js';
import { resolveServiceUrl, type ResolvedService } from './resolve-service-url.js';
import { ApiKeyContext } from './api-key-context.js';
import { ApiKeyDialog } from './api-key-dialog.js';
import { readStoredApiKey, storeApiKey } from './api-key-storage.js';
import { promptOnUnauthenticated } from './prompt-on-unauthenticated.js';

type Resolution = { service: ResolvedService } | { failure: string };

/**
 * Resolves the service URL once, then provides one REST client to the whole app. The client sends
 * the stored API key; a 401 opens the API key dialog with the service's reason.
 */
export function ClientProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation('api');
  const [resolution, setResolution] = useState<Resolution>();
  const [apiKey, setApiKey] = useState(() => readStoredApiKey());
  const [keyPrompt, setKeyPrompt] = useState<{ reason?: string }>();

  useEffect(() => {
    let isCurrent = true;
    resolveServiceUrl().then(
      (service) => isCurrent && setResolution({ service }),
      (err: unknown) => isCurrent && setResolution({ failure: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      isCurrent = false;
    };
  }, []);

  const value = useMemo(() => {
    if (!resolution || !('service' in resolution)) return undefined;
    const baseUrl = resolution.service.url;
    const fetch = promptOnUnauthenticated(window.fetch.bind(window), (reason) => setKeyPrompt({ reason }));
    return { baseUrl, client: createFStoreClient({ baseUrl, fetch, ...(apiKey ? { apiKey } : {}) }) };
  }, [resolution, apiKey]);
  const keySettings = useMemo(() => ({ hasApiKey: apiKey !== undefined, openApiKeySettings: () => setKeyPrompt({}) }), [apiKey]);

  if (!resolution) return <LoadingState label={t('connecting')} />;
  if ('failure' in resolution) {
    return (
      <Box sx={{ p: 4 }}>
        <Alert severity="error">
          <AlertTitle>{t('cannotFind')}</AlertTitle>
          {resolution.failure}
        </Alert>
      </Box>
    );
  }
  return (
    <ClientContext.Provider value={value}>
      <ApiKeyContext.Provider value={keySettings}>
        {resolution.service.problem && (
          <Alert severity="warning" square data-testid="service-problem">
            {t('bundledDown', { problem: resolution.service.problem })}
          </Alert>
        )}
        {children}
        {keyPrompt && (
          <ApiKeyDialog
            reason={keyPrompt.reason}
            currentKey={apiKey}
            onClose={() => setKeyPrompt(undefined)}
            onSave={(key, remember) => {
              storeApiKey(key, remember);
              setApiKey(key.trim() || undefined);
              setKeyPrompt(undefined);
            }}
          />
        )}
      </ApiKeyContext.Provider>
    </ClientContext.Provider>
  );
}
