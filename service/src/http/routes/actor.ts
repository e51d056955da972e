import type { FastifyRequest } from 'fastify';

/** Actors set by authentication; a request without one was not authenticated (auth off). */
const authenticated = new WeakMap<FastifyRequest, string>();

/** Called by the auth hook for every request when auth is on: `key:<name>`, or 'anonymous' on public routes. */
export function setAuthenticatedActor(request: FastifyRequest, actor: string): void {
  authenticated.set(request, actor);
}

/**
 * Who made a request, for versions and audit. With auth on, the API key's name (`key:ci`), and the
 * `X-FStore-User` header is ignored so no one can act under another name. With auth off (loopback),
 * the `X-FStore-User` header, else 'local'.
 */
export function actorOf(request: FastifyRequest): string {
  const actor = authenticated.get(request);
  if (actor) return actor;
  const header = request.headers['x-fstore-user'];
  const name = (Array.isArray(header) ? header[0] : header)?.trim();
  return name && name.length <= 100 && /^[\w.@ -]+$/.test(name) ? name : 'local';
}
