import { describe, expect, it } from 'vitest';
import type { FetchLike } from '@shared/api/client.js';
import { createFStoreClient, FStoreApiError } from '@shared/api/client.js';
import { readStoredApiKey, storeApiKey, type KeyStorages } from './api-key-storage.js';
import { promptOnUnauthenticated } from './prompt-on-unauthenticated.js';

function memoryStorage(): KeyStorages['session'] & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

describe('API key in the web UI', () => {
  it('keeps the key for the session by default, on this computer when asked, and forgets it when cleared', () => {
    const storages = { session: memoryStorage(), local: memoryStorage() };
    expect(readStoredApiKey(storages)).toBeUndefined();
    storeApiKey(' fsk_a ', false, storages);
    expect([...storages.session.items.values(), ...storages.local.items.values()]).toEqual(['fsk_a']);
    expect(readStoredApiKey(storages)).toBe('fsk_a');
    storeApiKey('fsk_b', true, storages);
    expect([...storages.session.items.values(), ...storages.local.items.values()]).toEqual(['fsk_b']);
    expect(readStoredApiKey(storages)).toBe('fsk_b');
    storeApiKey('', true, storages);
    expect(readStoredApiKey(storages)).toBeUndefined();
  });

  it('asks for a key when the service answers 401, with its message, and still fails the call', async () => {
    const prompts: string[] = [];
    const body = JSON.stringify({ error: { code: 'FSTORE_UNAUTHENTICATED', message: "The API key 'ci' was revoked at 2026-01-01" } });
    const sent: Record<string, string>[] = [];
    const fetch: FetchLike = async (_url, init) => {
      sent.push(init?.headers ?? {});
      return { ok: false, status: 401, headers: { get: () => null }, json: async () => JSON.parse(body) as unknown, text: async () => body };
    };
    const client = createFStoreClient({ baseUrl: 'http://fstore.test', fetch: promptOnUnauthenticated(fetch, (m) => prompts.push(m)), apiKey: 'fsk_x' });
    const error = await client.entities.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ status: 401, code: 'FSTORE_UNAUTHENTICATED' });
    expect(prompts).toEqual(["The API key 'ci' was revoked at 2026-01-01"]);
    expect(sent[0]).toMatchObject({ authorization: 'Bearer fsk_x' });
  });

  it('does not ask on other answers', async () => {
    const prompts: string[] = [];
    const fetch: FetchLike = async () => ({ ok: true, status: 200, headers: { get: () => null }, json: async () => [], text: async () => '[]' });
    const client = createFStoreClient({ baseUrl: 'http://fstore.test', fetch: promptOnUnauthenticated(fetch, (m) => prompts.push(m)) });
    expect(await client.entities.list()).toEqual([]);
    expect(prompts).toEqual([]);
  });
});
