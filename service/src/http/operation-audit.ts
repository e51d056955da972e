/**
 * Audit of operations that are not registry changes (registry changes are audited by their commit):
 * ingestion, pushes, runs, materialization, uploads, job cancels, alert rules and acknowledgements,
 * definition applies. Every mutating route is classified here, so a new one cannot go unnoticed
 * (service/test/audit-api.test.ts checks the route table against this classification).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryService } from '../registry/registry-service.js';
import { actorOf } from './routes/actor.js';

type Params = Record<string, string | undefined>;
type Body = Record<string, unknown> | undefined;

interface Operation {
  action: string;
  kind: string;
  name: (params: Params, body: Body) => string;
}

const group = (p: Params) => p['feature_group'] ?? '-';

/**
 * Mutating routes whose changes the registry audits itself (one event per new version), and saved
 * connections, which their service audits in the same log (connection.create/update/delete).
 */
export const REGISTRY_ROUTES = new Set(
  ['entities', 'feature-groups', 'features', 'feature-services', 'data-sources', 'transforms']
    .flatMap((path) => [`POST /api/${path}/`, `PUT /api/${path}/:name`, `DELETE /api/${path}/:name`, `POST /api/${path}/:name/restore`])
    .concat(['POST /api/features/:name/deprecate', 'POST /api/data-sources/:name/refresh'])
    .concat(['POST /api/connections/', 'PUT /api/connections/:name', 'DELETE /api/connections/:name']),
);

/** POST routes that read only (a body carries the question). */
export const READ_ONLY_ROUTES = new Set([
  'POST /api/online/features',
  'POST /api/training/features',
  'POST /api/training/point-in-time',
  'POST /api/uploads/:id/preview',
  'POST /api/transforms/preview',
  'POST /api/transforms/preview/parquet',
  'POST /api/transforms/plan',
  'POST /api/monitoring/drift',
  'POST /api/monitoring/drift/series',
  'POST /api/monitoring/skew',
  'POST /api/definitions/plan',
  // Connects once to the saved connection's server and reports; writes nothing.
  'POST /api/connections/:name/test',
]);

export const OPERATIONS: Record<string, Operation> = {
  'POST /api/ingest/:entity/:feature_group': { action: 'feature_group.ingest', kind: 'feature_group', name: group },
  'POST /api/ingest/:entity/:feature_group/upload': { action: 'feature_group.ingest', kind: 'feature_group', name: group },
  'POST /api/jobs/ingest/:entity/:feature_group': { action: 'feature_group.ingest_job', kind: 'feature_group', name: group },
  'POST /api/jobs/sql-pull/:entity/:feature_group': { action: 'feature_group.sql_pull', kind: 'feature_group', name: group },
  'POST /api/materialize': { action: 'feature_group.materialize', kind: 'feature_group', name: (_p, b) => String(b?.['feature_group'] ?? '-') },
  'POST /api/push': { action: 'stream.push', kind: 'stream', name: () => 'push' },
  'POST /api/uploads/': { action: 'upload.create', kind: 'upload', name: () => '-' },
  'POST /api/jobs/:id/cancel': { action: 'job.cancel', kind: 'job', name: (p) => p['id'] ?? '-' },
  // Reads only, but runs a job (possibly on Spark) and keeps a file: who asked is worth keeping.
  'POST /api/jobs/training-set': {
    action: 'entity.training_set',
    kind: 'entity',
    // A request by feature service may leave the entity out (the service names it).
    name: (_p, b) => String(b?.['entity'] ?? (b?.['feature_service'] ? `feature_service:${String(b['feature_service'])}` : '-')),
  },
  'POST /api/transforms/:name/runs': { action: 'transform.run', kind: 'transform', name: (p) => p['name'] ?? '-' },
  'POST /api/monitoring/rules': { action: 'alert_rule.put', kind: 'alert_rule', name: (_p, b) => String(b?.['name'] ?? '-') },
  'DELETE /api/monitoring/rules/:name': { action: 'alert_rule.delete', kind: 'alert_rule', name: (p) => p['name'] ?? '-' },
  'POST /api/monitoring/evaluate': { action: 'alert_rule.evaluate', kind: 'alert_rule', name: () => '*' },
  'POST /api/monitoring/alerts/:id/ack': { action: 'alert.acknowledge', kind: 'alert', name: (p) => p['id'] ?? '-' },
  'POST /api/definitions/apply': { action: 'definitions.apply', kind: 'definitions', name: () => '-' },
  'POST /api/keys': { action: 'api_key.create', kind: 'api_key', name: (_p, b) => String(b?.['name'] ?? '-') },
  'POST /api/keys/:id/rotate': { action: 'api_key.rotate', kind: 'api_key', name: (p) => p['id'] ?? '-' },
  'DELETE /api/keys/:id': { action: 'api_key.revoke', kind: 'api_key', name: (p) => p['id'] ?? '-' },
};

export function routeKey(method: string, route: string): string {
  return `${method} ${route}`;
}

/**
 * Records an audit event for every successful mutating request that the registry does not audit,
 * before the response is sent: a client that saw success can find the event. The hook is attached
 * only to the routes that need it, so reads (online serving) pay nothing for it.
 */
export function installOperationAudit(app: FastifyInstance, registry: RegistryService): void {
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => MUTATING.has(m));
    if (!route.url.startsWith('/api/') || !methods.some((m) => needsOperationAudit(m, route.url))) return;
    const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...existing, auditHook];
  });

  async function auditHook(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const route = req.routeOptions.url;
    if (reply.statusCode >= 400 || !route || !needsOperationAudit(req.method, route)) return payload;
    const key = routeKey(req.method, route);
    const operation = OPERATIONS[key];
    await registry
      .recordAudit({
        id: randomUUID(),
        time: new Date().toISOString(),
        actor: actorOf(req),
        action: operation?.action ?? key,
        kind: operation?.kind ?? 'operation',
        name: operation ? operation.name(paramsOf(req), bodyOf(req)) : route,
        version_before: null,
        version_after: null,
        details: { method: req.method, route, status: reply.statusCode },
      })
      .catch((err: unknown) => req.log.error({ err }, 'audit event could not be recorded'));
    return payload;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

function needsOperationAudit(method: string, route: string): boolean {
  const key = routeKey(method, route);
  return MUTATING.has(method) && !REGISTRY_ROUTES.has(key) && !READ_ONLY_ROUTES.has(key);
}

/** The route's URL parameters (the router's, all strings); a hook sees them untyped. */
function paramsOf(req: FastifyRequest): Params {
  const params: unknown = req.params;
  return isRecord(params) ? Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
}

/** The body as an object whose fields an operation may name (not the bytes of a raw upload). */
function bodyOf(req: FastifyRequest): Body {
  const body: unknown = req.body;
  return isRecord(body) && !Buffer.isBuffer(body) ? body : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
