import { useEffect, useState } from 'react';
import { useClient } from '../api/use-client.js';
import type { DataFileFormat } from './data-file-format.js';
import type { IngestSession } from './ingest-session-context.js';
import { isAbortError, uploadFile } from './upload-file.js';
import { useIngestSession } from './use-ingest-session.js';

export interface UploadState {
  sentBytes: number;
  totalBytes: number;
  error: unknown;
  retry: () => void;
}

/** Uploads the session's file once (the receipt is kept in the session) and reports the bytes sent. */
export function useSessionUpload(session: IngestSession, format: DataFileFormat): UploadState {
  const { client } = useClient();
  const { update } = useIngestSession();
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<{ attempt: number; sent: number; error?: unknown }>({ attempt: 0, sent: 0 });
  const hasReceipt = session.upload !== undefined;

  useEffect(() => {
    if (hasReceipt) return undefined;
    const controller = new AbortController();
    const url = client.uploads.createUrl({ format, filename: session.file.name });
    uploadFile(url, session.file, {
      headers: client.authHeaders(),
      signal: controller.signal,
      onProgress: (sent) => setProgress({ attempt, sent }),
    }).then(
      (receipt) => update(session.id, { upload: receipt }),
      (error: unknown) => {
        if (!isAbortError(error)) setProgress({ attempt, sent: 0, error });
      },
    );
    return () => controller.abort();
  }, [client, format, session.file, session.id, hasReceipt, update, attempt]);

  const isThisAttempt = progress.attempt === attempt;
  return {
    sentBytes: hasReceipt ? session.file.size : isThisAttempt ? progress.sent : 0,
    totalBytes: session.file.size,
    error: isThisAttempt ? progress.error : undefined,
    retry: () => setAttempt((a) => a + 1),
  };
}
