import { FStoreApiError } from '@shared/api/client.js';

/** The service could not be reached at all (no HTTP answer), as opposed to an answer refusing the request. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof FStoreApiError && error.code === 'FSTORE_NETWORK';
}
