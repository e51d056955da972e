/**
 * fetch for the CLI's client commands: adds `Authorization: Bearer $FSTORE_API_KEY` when that
 * variable is set and the call did not set one, so every command works against a service with auth on.
 */
export function fetchWithApiKey(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const key = process.env['FSTORE_API_KEY']?.trim();
  if (!key) return fetch(input, init);
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
  return fetch(input, { ...init, headers });
}
