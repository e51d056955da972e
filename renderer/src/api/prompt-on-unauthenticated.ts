import type { FetchLike } from '@shared/api/client.js';
import { i18n } from '../i18n/i18n.js';

/**
 * Wraps fetch so that a 401 from the service (auth on, and no key or a bad one) calls
 * `onUnauthenticated` with the service's message: the UI then asks for an API key. The response
 * still reaches the caller, which shows its usual error.
 */
export function promptOnUnauthenticated(fetch: FetchLike, onUnauthenticated: (message: string) => void): FetchLike {
  return async (url, init) => {
    const res = await fetch(url, init);
    if (res.status === 401) {
      const text = await res.text();
      onUnauthenticated(messageOf(text));
      return { ...res, ok: res.ok, status: res.status, headers: res.headers, text: async () => text, json: async () => JSON.parse(text) as unknown };
    }
    return res;
  };
}

function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not the service's error shape
  }
  return i18n.t('api:key.required');
}
