import { useContext } from 'react';
import { IngestSessionContext, type IngestSessionValue } from './ingest-session-context.js';

/** The file being ingested and how to replace it; only valid under `IngestSessionProvider`. */
export function useIngestSession(): IngestSessionValue {
  const value = useContext(IngestSessionContext);
  if (!value) throw new Error('useIngestSession must be used inside <IngestSessionProvider>');
  return value;
}
