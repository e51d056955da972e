/**
 * API key secrets: `fsk_<id>_<secret>`, where id is 8 random bytes in hex (public, used to look the
 * key up) and secret is 32 random bytes in base64url (256 bits). Only SHA-256 of the secret is
 * stored. A slow password hash (bcrypt, scrypt, argon2) protects low-entropy passwords against
 * guessing; a 256-bit random secret cannot be guessed, so a fast hash is enough and keeps every
 * request cheap. Comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'fsk';
const TOKEN = /^fsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedSecret {
  id: string;
  secret: string;
  token: string;
}

export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

export function newSecret(id: string): IssuedSecret {
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `${PREFIX}_${id}_${secret}` };
}

/** The id and secret of a well-formed token, else undefined. */
export function parseToken(token: string): { id: string; secret: string } | undefined {
  const match = TOKEN.exec(token.trim());
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
