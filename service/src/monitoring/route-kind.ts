import type { RouteKind } from '@shared/api/monitoring.js';

/** Routes outside /api that are the service's own machinery rather than the web UI. */
const SERVICE_ROUTES = /^\/(metrics|health\w*|ready\w*|openapi\.json|docs)(\/|$)/;

/**
 * What a latency route serves, so serving latency is read apart from the rest: online reads are
 * what an SLO is about; the web UI's pages and static files (and unmatched paths) are not API work.
 */
export function routeKind(route: string): RouteKind {
  if (route.startsWith('/api/online/')) return 'serving';
  if (route.startsWith('/api/') || SERVICE_ROUTES.test(route)) return 'api';
  return 'ui';
}
