import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ApiKeyService } from '../src/auth/api-key-service.js';
import { hashSecret, parseToken } from '../src/auth/api-key-secret.js';
import { logSerializers } from '../src/http/auth/log-redaction.js';
import { LmdbRegistryStore } from '../src/storage/embedded/lmdb-registry-store.js';
import { freshDataDir } from './helpers.js';

/** Expiry and grace periods, with a clock the test moves (on the real embedded store). */
describe('API key lifecycle', () => {
  let store: LmdbRegistryStore;
  let now = Date.parse('2026-06-01T12:00:00Z');
  let keys: ApiKeyService;

  beforeAll(() => {
    store = new LmdbRegistryStore(join(freshDataDir(), 'registry.lmdb'));
    keys = new ApiKeyService(store, () => new Date(now));
  });
  afterAll(() => store.close());

  it('issues fsk_<id>_<secret> with 256 random bits and stores only the SHA-256 of the secret', async () => {
    const issued = await keys.create({ name: 'ci', role: 'admin' }, 'tester');
    const parsed = parseToken(issued.key)!;
    expect(parsed.id).toBe(issued.info.id);
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    const stored = await store.getApiKey(issued.info.id);
    expect(stored?.secret_hash).toBe(hashSecret(parsed.secret));
    expect(JSON.stringify(stored)).not.toContain(parsed.secret);
  });

  it('stops accepting a key when it expires', async () => {
    const issued = await keys.create({ name: 'short', role: 'reader', expires_at: '2026-06-01T13:00:00Z' }, 'tester');
    expect(await keys.authenticate(issued.key)).toMatchObject({ ok: true, key: { name: 'short' } });
    now = Date.parse('2026-06-01T13:00:00Z');
    expect(await keys.authenticate(issued.key)).toEqual({ ok: false, reason: "The API key 'short' expired at 2026-06-01T13:00:00.000Z" });
  });

  it('accepts the old secret during the grace period of a rotation, then not', async () => {
    const issued = await keys.create({ name: 'svc', role: 'writer' }, 'tester');
    const rotated = await keys.rotate(issued.info.id, 600);
    expect((await keys.authenticate(issued.key)).ok).toBe(true);
    expect((await keys.authenticate(rotated.key)).ok).toBe(true);
    now += 600_000;
    expect(await keys.authenticate(issued.key)).toMatchObject({ ok: false, reason: expect.stringMatching(/not recognised/) });
    expect((await keys.authenticate(rotated.key)).ok).toBe(true);
  });

  it('refuses to rotate a revoked key', async () => {
    const issued = await keys.create({ name: 'gone', role: 'reader' }, 'tester');
    await keys.revoke(issued.info.id);
    await expect(keys.rotate(issued.info.id)).rejects.toThrow(/revoked; create a new key/);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const issued = await keys.create({ name: 'touched', role: 'reader' }, 'tester');
    const first = new Date(now).toISOString();
    await keys.authenticate(issued.key);
    await expect.poll(async () => (await store.getApiKey(issued.info.id))?.last_used_at).toBe(first);
    now += 30_000;
    await keys.authenticate(issued.key);
    now += 31_000;
    const third = new Date(now).toISOString();
    await keys.authenticate(issued.key);
    await expect.poll(async () => (await store.getApiKey(issued.info.id))?.last_used_at).toBe(third);
  });
});

describe('request log', () => {
  it('hides an api_key query parameter (the events route accepts the key there)', () => {
    const req = { method: 'GET', url: '/api/jobs/j1/events?b=1&api_key=fsk_abc_secret&c=2', host: 'h', ip: '127.0.0.1', socket: { remotePort: 1 } };
    expect(logSerializers.req(req as never).url).toBe('/api/jobs/j1/events?b=1&api_key=[redacted]&c=2');
  });
});
