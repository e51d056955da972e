import type { FastifyRequest } from 'fastify';

/**
 * Who made a request, for versions and audit. Until API keys exist (see docs/security.md) this is
 * the `X-FStore-User` header, else 'local'.
 */
export function actorOf(request: FastifyRequest): string {
  const header = request.headers['x-fstore-user'];
  const name = (Array.isArray(header) ? header[0] : header)?.trim();
  return name && name.length <= 100 && /^[\w.@ -]+$/.test(name) ? name : 'local';
}
