/**
 * fast-check arbitraries for hostile REST input, and the properties every answer must satisfy.
 * Each property file builds one in-process app and sends generated requests through inject().
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** Runs per property; FSTORE_PROPERTY_RUNS raises it for a longer local hunt. */
export const RUNS = Number(process.env['FSTORE_PROPERTY_RUNS'] ?? 40);

/** Strings that have broken services before: SQL, paths, Redis key separators, templates, encodings. */
export const NASTY_STRINGS = [
  '',
  ' ',
  'a"; DROP TABLE x; --',
  "'; DROP TABLE feature_values; --",
  '" OR 1=1 --',
  'x)); SELECT * FROM pg_user; --',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%2f..%2f',
  'file:///etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'a\u0000b',
  '\u0000',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'fs:v1:*',
  '*',
  'a:b:c',
  '\r\nFLUSHALL\r\n',
  '\u202eevil',
  '\ud800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 ñ 漢字',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '2025-13-45T99:99:99Z',
  'read_csv(\'/etc/passwd\')',
  'env:PATH',
  'postgres://u:p@127.0.0.1:1/x',
  'A_CAPITAL',
  'snake_case_ok',
];

/** Any string: nasty ones, arbitrary unicode (lone surrogates included), and large ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '_', '\u00e9', '"', '.'), fc.integer({ min: 60, max: 300_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Keys aimed at prototype pollution, besides ordinary hostile keys. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), hostileString);

type DeepShape = 'array' | 'object' | 'mixed';

/**
 * A JSON value nested `depth` levels deep (arrays, objects, or both in turn). It is generated as
 * text: building it as objects would overflow JSON.stringify in the test itself. It serialises
 * (toJSON) to a placeholder that `jsonPayload` replaces with the text.
 */
export class DeepJson {
  constructor(
    readonly depth: number,
    readonly shape: DeepShape,
  ) {}

  toJSON(): string {
    return `${DEEP_MARK}${this.shape}:${this.depth}${DEEP_MARK}`;
  }

  get text(): string {
    return deepJsonText(this.depth, this.shape);
  }
}

const DEEP_MARK = '\u0001deep\u0001';
/** The placeholder as JSON.stringify writes it (U+0001 escaped). */
const DEEP_PLACEHOLDER = /"\\u0001deep\\u0001(array|object|mixed):(\d+)\\u0001deep\\u0001"/g;

function deepJsonText(depth: number, shape: DeepShape): string {
  const isArray = (level: number) => shape === 'array' || (shape === 'mixed' && level % 2 === 0);
  const open = Array.from({ length: depth }, (_, level) => (isArray(level) ? '[' : '{"k":')).join('');
  const close = Array.from({ length: depth }, (_, level) => (isArray(depth - 1 - level) ? ']' : '}')).join('');
  return `${open}1${close}`;
}

/**
 * Deeply nested values: around the limit of 64 levels (accepted or refused by the usual rules),
 * and far past it, where JSON.stringify and DuckDB's JSON reader used to fail (a 500, a crash).
 */
export const deepValue: fc.Arbitrary<DeepJson> = fc
  .tuple(fc.oneof(fc.integer({ min: 60, max: 70 }), fc.constantFrom(1000, 5000, 100_000)), fc.constantFrom<DeepShape>('array', 'object', 'mixed'))
  .map(([depth, shape]) => new DeepJson(depth, shape));

/** Any JSON value, biased towards the shapes that trip type checks. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: deepValue },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 64, []) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.tuple(hostileKey, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => withOwnKey({}, k, v)) },
);

/** A copy of `obj` with `key` as an own enumerable property, even for `__proto__` (as JSON.parse makes it). */
export function withOwnKey(obj: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...obj };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withoutKey(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...obj };
  delete copy[key];
  return copy;
}

/**
 * A valid body made hostile: one field replaced, dropped or added (a prototype key included), or
 * the whole body replaced by any JSON value.
 */
export function mutatedBody(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => withOwnKey(valid, k, v)) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => withoutKey(valid, k)) },
    { weight: 2, arbitrary: fc.tuple(hostileKey, hostileValue).map(([k, v]) => withOwnKey(valid, k, v)) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** A path segment for params: anything, URL-encoded so it stays one segment. */
export const hostileSegment: fc.Arbitrary<string> = hostileString
  .filter((s) => s.length > 0 && s.length < 5000)
  .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?')));

/** A query string of hostile keys and values (encoded), possibly repeating keys. */
export function hostileQuery(knownKeys: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...knownKeys), hostileKey.filter((k) => k.length < 200));
  const value = fc.oneof(hostileString.filter((v) => v.length < 5000), fc.constantFrom('true', 'false', '1', '-1', '[]', '{}'));
  const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
  return fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : ''));
}

/**
 * The payload as sent: JSON text, so `__proto__` own keys survive (inject would re-serialise
 * objects), with each DeepJson written out.
 */
export function jsonPayload(body: unknown): string {
  return (JSON.stringify(body) ?? 'null').replace(DEEP_PLACEHOLDER, (_match, shape: DeepShape, depth: string) => deepJsonText(Number(depth), shape));
}

/**
 * What every answer must be: never a 5xx; a 4xx carries `{ error: { code, message } }` with a
 * catalogue-style code and a non-empty message. `unavailable` names the 5xx codes that are the
 * truth for this request (a source's server that cannot be reached is a 502, not the client's fault).
 */
export function expectCleanAnswer(res: LightMyRequestResponse, request: string, unavailable: string[] = []): void {
  const context = `${request} -> ${res.statusCode} ${res.body.slice(0, 500)}`;
  if (res.statusCode >= 500) {
    expect(unavailable, context).toContain((res.json() as { error?: { code?: string } }).error?.code);
    expect(res.statusCode, context).not.toBe(500);
  } else if (res.statusCode < 400) return;
  expect(res.headers['content-type'], context).toMatch(/^application\/json/);
  const body = res.json() as { error?: { code?: unknown; message?: unknown } };
  expect(body.error?.code, context).toMatch(/^FSTORE_[A-Z_]+$/);
  expect(typeof body.error?.message === 'string' && body.error.message.length > 0, context).toBe(true);
}

export const isRejected = (res: LightMyRequestResponse): boolean => res.statusCode >= 400;
