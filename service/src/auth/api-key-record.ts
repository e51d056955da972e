import type { ApiKeyInfo } from '@shared/api/keys.js';

/** A key as the registry store keeps it: the listed fields plus hashes of its secrets. */
export type ApiKeyRecord = ApiKeyInfo & {
  secret_hash: string;
  /** The secret before the last rotation, accepted until previous_secret_expires_at. */
  previous_secret_hash: string | null;
};

export function infoOf(record: ApiKeyRecord): ApiKeyInfo {
  const { secret_hash: _secret, previous_secret_hash: _previous, ...info } = record;
  return info;
}
