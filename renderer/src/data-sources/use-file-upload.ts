import { useEffect, useState } from 'react';
import { useClient } from '../api/use-client.js';
import { detectDataFormat } from '../ingest/data-file-format.js';
import { isAbortError, uploadFile, type UploadReceipt } from '../ingest/upload-file.js';

export interface FileUploadState {
  receipt: UploadReceipt | undefined;
  sentBytes: number;
  totalBytes: number;
  error: unknown;
  retry: () => void;
}

interface Progress {
  file: File;
  attempt: number;
  sent: number;
  receipt?: UploadReceipt;
  error?: unknown;
}

/** Uploads `file` to POST /api/uploads/ as soon as it is chosen (with progress); a new file cancels the old upload. */
export function useFileUpload(file: File | undefined): FileUploadState {
  const { client } = useClient();
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<Progress>();

  useEffect(() => {
    if (!file) return undefined;
    const controller = new AbortController();
    const format = detectDataFormat(file);
    const url = client.uploads.createUrl({ ...(format ? { format } : {}), filename: file.name });
    uploadFile(url, file, { headers: client.authHeaders(), signal: controller.signal, onProgress: (sent) => setProgress({ file, attempt, sent }) }).then(
      (receipt) => setProgress({ file, attempt, sent: file.size, receipt }),
      (error: unknown) => {
        if (!isAbortError(error)) setProgress({ file, attempt, sent: 0, error });
      },
    );
    return () => controller.abort();
  }, [client, file, attempt]);

  const current = progress && progress.file === file && progress.attempt === attempt ? progress : undefined;
  return {
    receipt: current?.receipt,
    sentBytes: current?.sent ?? 0,
    totalBytes: file?.size ?? 0,
    error: current?.error,
    retry: () => setAttempt((a) => a + 1),
  };
}
