import { isWellFormedText } from '@shared/domain/json-value.js';

/**
 * What every store can keep as an entity key. Online reads take keys of up to 512 characters, the
 * embedded online store's keys are bounded in bytes, and PostgreSQL text cannot hold U+0000: a key
 * outside these bounds could land in one store and never in another, so writes refuse it up front.
 */
export const MAX_ENTITY_KEY_CHARS = 512;
export const MAX_ENTITY_KEY_BYTES = 1536;

export const KEY_TOO_LONG = `the entity key is longer than ${MAX_ENTITY_KEY_CHARS} characters (or ${MAX_ENTITY_KEY_BYTES} bytes in UTF-8)`;
export const KEY_HAS_NUL = 'the entity key contains the NUL character (U+0000), which the stores cannot keep';
export const KEY_NOT_UNICODE = 'the entity key holds a lone UTF-16 surrogate (such as \\ud800), which is not Unicode and the stores cannot keep';

/** Why a (trimmed, non-empty) entity key cannot be stored, or undefined when it can. */
export function entityKeyProblem(key: string): string | undefined {
  if (key.length > MAX_ENTITY_KEY_CHARS || Buffer.byteLength(key) > MAX_ENTITY_KEY_BYTES) return KEY_TOO_LONG;
  if (key.includes('\u0000')) return KEY_HAS_NUL;
  if (!isWellFormedText(key)) return KEY_NOT_UNICODE;
  return undefined;
}
