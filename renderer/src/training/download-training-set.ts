/** Saves a finished training set: a fetch with the API key's headers (a bare link could not send them), then a download of the blob. */
import { FStoreApiError, type FStoreClient } from '@shared/api/client.js';
import type { TrainingSetJobResult } from '@shared/api/serving.js';
import { isErrorBody } from '@shared/errors.js';
import { downloadFile } from '../definitions/download-file.js';
import { i18n } from '../i18n/i18n.js';
import { resultFileName } from './training-job-view.js';

export async function downloadTrainingSet(client: FStoreClient, jobId: string, result: Pick<TrainingSetJobResult, 'entity' | 'format'>): Promise<void> {
  const url = client.jobs.resultUrl(jobId);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/octet-stream, text/csv, application/json', ...client.authHeaders() } });
  } catch (err) {
    throw new FStoreApiError(0, 'FSTORE_NETWORK', i18n.t('training:result.unreachable', { origin: new URL(url, window.location.href).origin, message: (err as Error).message }));
  }
  if (!res.ok) throw apiErrorOfResponse(res.status, await res.text(), 'GET /api/jobs/{id}/result');
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? (result.format === 'csv' ? 'text/csv' : 'application/octet-stream');
  downloadFile(resultFileName(result, jobId, res.headers.get('content-disposition')), bytes, type);
}

/** The service's error body rebuilt as FStoreApiError, as the shared client does; anything else named by its status. */
export function apiErrorOfResponse(status: number, text: string, request: string): FStoreApiError {
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) return new FStoreApiError(status, body.error.code, body.error.message, body.error.details);
  return new FStoreApiError(status, 'FSTORE_INTERNAL', `HTTP ${status} from ${request}`);
}
