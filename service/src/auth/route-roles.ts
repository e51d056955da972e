/**
 * The role each route needs when auth is on. One table: service/test/auth-roles.test.ts checks that
 * every route of the OpenAPI document is in it, so a new route cannot go unprotected by accident.
 * Routes outside the table and outside PUBLIC_ROUTES need `admin` (fail closed).
 *
 * reader: serving and every read. writer: reader + ingestion, pushes, uploads, materialization,
 * transform previews and runs, jobs, alert rules. admin: everything, including registry changes,
 * definitions apply and API keys.
 */
import type { Role } from '@shared/api/keys.js';

const REGISTRY_KINDS = ['entities', 'feature-groups', 'features', 'feature-services', 'data-sources', 'transforms'];

export const ROUTE_ROLES: Readonly<Record<string, Role>> = {
  'GET /metrics': 'reader',
  ...Object.fromEntries(
    REGISTRY_KINDS.flatMap((k) => [
      [`GET /api/${k}/`, 'reader'],
      [`GET /api/${k}/:name`, 'reader'],
      [`GET /api/${k}/:name/versions`, 'reader'],
      [`GET /api/${k}/:name/versions/:version`, 'reader'],
      [`GET /api/${k}/:name/diff`, 'reader'],
      [`POST /api/${k}/`, 'admin'],
      [`PUT /api/${k}/:name`, 'admin'],
      [`DELETE /api/${k}/:name`, 'admin'],
      [`POST /api/${k}/:name/restore`, 'admin'],
    ]),
  ),
  'POST /api/features/:name/deprecate': 'admin',
  'POST /api/data-sources/:name/refresh': 'admin',
  'GET /api/feature-groups/:name/offline': 'reader',
  'GET /api/features/:name/profile': 'reader',
  'GET /api/audit': 'reader',
  'GET /api/lineage/:kind/:name': 'reader',

  'POST /api/online/features': 'reader',
  'POST /api/training/features': 'reader',
  'POST /api/training/point-in-time': 'reader',

  'POST /api/ingest/:entity/:feature_group': 'writer',
  'POST /api/ingest/:entity/:feature_group/upload': 'writer',
  'POST /api/uploads/': 'writer',
  'GET /api/uploads/:id/preview': 'reader',
  'POST /api/jobs/ingest/:entity/:feature_group': 'writer',
  'POST /api/jobs/sql-pull/:entity/:feature_group': 'writer',
  'POST /api/push': 'writer',
  'GET /api/streaming/status': 'reader',
  'POST /api/materialize': 'writer',

  'GET /api/jobs/': 'reader',
  'GET /api/jobs/:id': 'reader',
  'GET /api/jobs/:id/events': 'reader',
  'POST /api/jobs/:id/cancel': 'writer',
  // A training-set job runs (possibly Spark) work over an upload, like the other jobs.
  'POST /api/jobs/training-set': 'writer',
  'GET /api/jobs/:id/result': 'reader',
  'GET /api/jobs/:id/summary': 'reader',
  'GET /api/jobs/:id/logs': 'reader',

  // Previews and plans execute transform code, so they need the role that may run transforms.
  'POST /api/transforms/preview': 'writer',
  'POST /api/transforms/preview/parquet': 'writer',
  'GET /api/connections/': 'reader',
  'GET /api/connections/:name': 'reader',
  'POST /api/connections/': 'admin',
  'PUT /api/connections/:name': 'admin',
  'DELETE /api/connections/:name': 'admin',
  'POST /api/connections/:name/test': 'writer',
  'POST /api/transforms/plan': 'writer',
  'POST /api/transforms/:name/runs': 'writer',

  'GET /api/monitoring/': 'reader',
  'GET /api/monitoring/quality': 'reader',
  'GET /api/monitoring/quality/batches': 'reader',
  'POST /api/monitoring/drift': 'reader',
  'POST /api/monitoring/drift/series': 'reader',
  'POST /api/monitoring/skew': 'reader',
  'GET /api/monitoring/operations': 'reader',
  'GET /api/monitoring/rules': 'reader',
  'GET /api/monitoring/rules/:name': 'reader',
  'GET /api/monitoring/alerts': 'reader',
  'POST /api/monitoring/rules': 'writer',
  'DELETE /api/monitoring/rules/:name': 'writer',
  'POST /api/monitoring/evaluate': 'writer',
  'POST /api/monitoring/alerts/:id/ack': 'writer',

  'GET /api/definitions/export': 'reader',
  'POST /api/definitions/plan': 'reader',
  'POST /api/definitions/apply': 'admin',

  'GET /api/keys': 'admin',
  'POST /api/keys': 'admin',
  'POST /api/keys/:id/rotate': 'admin',
  'DELETE /api/keys/:id': 'admin',
};

/**
 * Routes anyone may call: liveness, the API description and the web UI's static files (the UI
 * must load to ask for a key). They serve no feature data.
 */
export function isPublicRoute(route: string): boolean {
  return PUBLIC_ROUTES.has(route) || route.startsWith('/docs/');
}

/** `/` and `/*` are the web UI (static files, or the "not built" notice). */
const PUBLIC_ROUTES = new Set(['/health', '/openapi.json', '/docs', '/', '/*']);

/** Only the server-sent-events route accepts the key in the query: EventSource cannot set headers. */
export const QUERY_KEY_ROUTES = new Set(['GET /api/jobs/:id/events']);

const RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

export function roleAllows(has: Role, needs: Role): boolean {
  return RANK[has] >= RANK[needs];
}
