import { useEffect, useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { createFStoreClient } from '../../../shared/api/client.js';
import { LoadingState } from '../common/loading-state.js';
import { ClientContext } from './client-context.js';
import { resolveServiceUrl, type ResolvedService } from './resolve-service-url.js';

type Resolution = { service: ResolvedService } | { failure: string };

/** Resolves the service URL once, then provides one REST client to the whole app. */
export function ClientProvider({ children }: { children: ReactNode }) {
  const [resolution, setResolution] = useState<Resolution>();

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
    return { baseUrl, client: createFStoreClient({ baseUrl, fetch: window.fetch.bind(window) }) };
  }, [resolution]);

  if (!resolution) return <LoadingState label="Connecting to FStore…" />;
  if ('failure' in resolution) {
    return (
      <Box sx={{ p: 4 }}>
        <Alert severity="error">
          <AlertTitle>Cannot find the FStore service</AlertTitle>
          {resolution.failure}
        </Alert>
      </Box>
    );
  }
  return (
    <ClientContext.Provider value={value}>
      {resolution.service.problem && (
        <Alert severity="warning" square data-testid="service-problem">
          The bundled service is not running: {resolution.service.problem}
        </Alert>
      )}
      {children}
    </ClientContext.Provider>
  );
}
