/**
 * Where the web UI keeps the API key: sessionStorage by default (gone when the tab closes), or
 * localStorage when the user asks to be remembered on this computer. Never in a cookie, so the
 * service cannot be called with it by another site.
 */
const STORAGE_KEY = 'fstore.apiKey';

export interface KeyStorages {
  session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  local: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

const browserStorages = (): KeyStorages | undefined =>
  typeof window === 'undefined' ? undefined : { session: window.sessionStorage, local: window.localStorage };

export function readStoredApiKey(storages = browserStorages()): string | undefined {
  try {
    const key = storages?.session.getItem(STORAGE_KEY) ?? storages?.local.getItem(STORAGE_KEY);
    return key && key.trim() ? key.trim() : undefined;
  } catch {
    return undefined; // storage can be disabled; the user is asked again
  }
}

/** Stores the key (or forgets it when empty) in exactly one of the two storages. */
export function storeApiKey(key: string, remember: boolean, storages = browserStorages()): void {
  if (!storages) return;
  try {
    storages.session.removeItem(STORAGE_KEY);
    storages.local.removeItem(STORAGE_KEY);
    const trimmed = key.trim();
    if (trimmed) (remember ? storages.local : storages.session).setItem(STORAGE_KEY, trimmed);
  } catch {
    // Not persisting is acceptable: the key still works until the page reloads.
  }
}
