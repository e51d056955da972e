import { FStoreApiError } from '@shared/api/client.js';
import type { UploadReceipt } from '@shared/api/serving.js';
import { isErrorBody } from '@shared/errors.js';

/** What POST /api/uploads/ answers (shared schema): the id to preview and ingest the file by. */
export type { UploadReceipt };

export interface UploadOptions {
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
  /** Extra request headers, e.g. the client's authHeaders() when the service requires an API key. */
  headers?: Record<string, string>;
}

/**
 * Sends a file as the raw body of `url` with XMLHttpRequest, because fetch reports no upload
 * progress. Rejects with FStoreApiError like the shared client, or an AbortError when cancelled.
 */
export function uploadFile(url: string, file: Blob, { onProgress, signal, headers = {} }: UploadOptions = {}): Promise<UploadReceipt> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const settle = () => signal?.removeEventListener('abort', abort);

    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json');
    // The format travels in the query (?format=): the body is the file's bytes, never parsed on the way.
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      settle();
      try {
        resolve(readUploadResponse(xhr.status, xhr.responseText));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => {
      settle();
      reject(new FStoreApiError(0, 'FSTORE_NETWORK', `Cannot reach FStore at ${new URL(url, window.location.href).origin}: the upload did not complete`));
    };
    xhr.onabort = () => {
      settle();
      reject(new DOMException('The upload was cancelled', 'AbortError'));
    };
    xhr.send(file);
  });
}

/** The receipt of a successful upload, or the service's error rebuilt as FStoreApiError. */
export function readUploadResponse(status: number, text: string): UploadReceipt {
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (status < 200 || status >= 300) {
    if (isErrorBody(body)) throw new FStoreApiError(status, body.error.code, body.error.message, body.error.details);
    throw new FStoreApiError(status, 'FSTORE_INTERNAL', `HTTP ${status} from POST /api/uploads/`);
  }
  if (!isReceipt(body)) throw new FStoreApiError(status, 'FSTORE_INTERNAL', 'POST /api/uploads/ answered without an upload_id');
  return body;
}

function isReceipt(x: unknown): x is UploadReceipt {
  return typeof x === 'object' && x !== null && typeof (x as { upload_id?: unknown }).upload_id === 'string';
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
