import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { IngestSessionContext, type IngestSession, type IngestSessionChange } from './ingest-session-context.js';
import { EMPTY_TARGET } from './ingest-target.js';

export function IngestSessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<IngestSession>();

  const start = useCallback((file: File) => {
    setSession((current) => ({
      id: (current?.id ?? 0) + 1,
      file,
      // A new file usually goes where the previous one went.
      target: current ? { entity: current.target.entity, featureGroup: current.target.featureGroup } : EMPTY_TARGET,
    }));
  }, []);
  const update = useCallback((id: number, change: IngestSessionChange) => {
    setSession((current) => (current && current.id === id ? { ...current, ...change } : current));
  }, []);
  const clear = useCallback(() => setSession(undefined), []);

  const value = useMemo(() => ({ session, start, update, clear }), [session, start, update, clear]);
  return <IngestSessionContext.Provider value={value}>{children}</IngestSessionContext.Provider>;
}
