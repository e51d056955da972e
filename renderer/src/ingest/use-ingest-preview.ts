import { useCallback, useEffect, useState } from 'react';
import type { PreviewQuery } from '@shared/api/client.js';
import type { IngestPreview } from '@shared/api/serving.js';
import { useClient } from '../api/use-client.js';

/** Typing pauses this long before the dry run re-runs. */
const DEBOUNCE_MS = 250;

export interface PreviewState {
  /** The latest successful preview; kept while the next one loads so the tables do not flicker. */
  data: IngestPreview | undefined;
  /** True when `data` answers exactly the current query. */
  isCurrent: boolean;
  error: unknown;
  reload: () => void;
}

interface Settled {
  key: string;
  data?: IngestPreview;
  error?: unknown;
}

/** The dry run of ingesting an upload with `query`, re-run (debounced) whenever the query changes. */
export function useIngestPreview(uploadId: string, query: PreviewQuery): PreviewState {
  const { client } = useClient();
  const [nonce, setNonce] = useState(0);
  const [settled, setSettled] = useState<Settled>();
  const [lastData, setLastData] = useState<IngestPreview>();
  // Built in a fixed field order by previewQuery, so equal queries give equal keys.
  const queryKey = JSON.stringify(query);
  const key = `${uploadId}|${nonce}|${queryKey}`;

  useEffect(() => {
    let isCurrent = true;
    const parsed = JSON.parse(queryKey) as PreviewQuery;
    const timer = setTimeout(() => {
      client.uploads.preview(uploadId, parsed).then(
        (data) => {
          if (!isCurrent) return;
          setSettled({ key, data });
          setLastData(data);
        },
        (error: unknown) => {
          if (isCurrent) setSettled({ key, error });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [client, uploadId, queryKey, key]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const isSettled = settled?.key === key;
  return {
    data: isSettled && settled.data ? settled.data : lastData,
    isCurrent: isSettled && settled.data !== undefined,
    error: isSettled ? settled.error : undefined,
    reload,
  };
}
