import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { setAuthenticatedActor } from '../routes/actor.js';
import type { ApiKeyService } from '../../auth/api-key-service.js';
import { isPublicRoute, QUERY_KEY_ROUTES, roleAllows, ROUTE_ROLES } from '../../auth/route-roles.js';

export interface AuthOptions {
  /** Serve GET /metrics without a key (for scrapers that cannot send one). */
  publicMetrics: boolean;
  /** Warn at start when no active key exists (default true; off in serving workers, whose primary warns once). */
  warnWithoutKeys?: boolean;
}

/**
 * Enforces API keys (auth on): every request to a route that is not public needs a valid key whose
 * role covers the route (route-roles.ts). 401 for a missing, unknown, revoked or expired key, 403
 * when the role is too low. Sets the request's actor to `key:<name>` for versions and audit.
 */
export function installAuth(app: FastifyInstance, keys: ApiKeyService, options: AuthOptions): void {
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    // No route matched: the 404 answer carries nothing worth protecting.
    if (route === undefined) return;
    // Fastify answers HEAD with the GET handler (exposeHeadRoutes): it needs what the GET needs.
    const routeKey = `${req.method === 'HEAD' ? 'GET' : req.method} ${route}`;
    if (isPublicRoute(route) || (options.publicMetrics && routeKey === 'GET /metrics')) {
      setAuthenticatedActor(req, 'anonymous');
      return;
    }
    const token = presentedKey(req, QUERY_KEY_ROUTES.has(routeKey));
    if (!token) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError('FSTORE_UNAUTHENTICATED', 'This FStore requires an API key: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`');
    }
    const result = await keys.authenticate(token);
    if (!result.ok) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError('FSTORE_UNAUTHENTICATED', result.reason);
    }
    const needs = ROUTE_ROLES[routeKey] ?? 'admin';
    if (!roleAllows(result.key.role, needs)) {
      throw new AppError(
        'FSTORE_FORBIDDEN_ROLE',
        `API key '${result.key.name}' has role ${result.key.role}; ${routeKey} needs role ${needs}${needs === 'admin' ? '' : ' or higher'}`,
        { role: result.key.role, required: needs },
      );
    }
    setAuthenticatedActor(req, `key:${result.key.name}`);
  });

  if (options.warnWithoutKeys === false) return;
  app.addHook('onReady', async () => {
    if (!(await keys.hasActiveKeys())) {
      app.log.warn('Auth is on but no active API key exists: every request will be refused. Create one with `fstore keys create --name <name> --role admin`.');
    }
  });
}

function presentedKey(req: FastifyRequest, acceptQuery: boolean): string | undefined {
  const authorization = single(req.headers['authorization']);
  const bearer = authorization && /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  if (bearer) return bearer.trim();
  const header = single(req.headers['x-api-key'])?.trim();
  if (header) return header;
  if (acceptQuery) {
    // A hook sees every route's query untyped.
    const query: unknown = req.query;
    const fromQuery = typeof query === 'object' && query !== null && 'api_key' in query ? query.api_key : undefined;
    if (typeof fromQuery === 'string' && fromQuery.length > 0) return fromQuery;
  }
  return undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
