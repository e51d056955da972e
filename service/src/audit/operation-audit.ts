/**
 * Audit of operations that are not registry changes (registry changes are audited by their commit):
 * ingestion, pushes, runs, materialization, uploads, job cancels, alert rules and acknowledgements,
 * definition applies. Every mutating route is classified here, so a new one cannot go unnoticed
 * (service/test/audit-api.test.ts checks the route table against this classification).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RegistryService } from '../registry/registry-service.js';
import { actorOf } from '../routes/actor.js';

type Params = Record<string, string | undefined>;
type Body = Record<string, unknown> | undefined;

interface Operation {
  action: string;
  kind: string;
  name: (params: Params, body: Body) => string;
}

const group = (p: Params) => p['feature_group'] ?? '-';

/** Mutating routes whose changes the registry audits itself (one event per new version). */
export const REGISTRY_ROUTES = new Set(
  ['entities', 'feature-groups', 'features', 'data-sources', 'transforms'].flatMap((path) => [
    `POST /api/${path}/`,
    `PUT /api/${path}/:name`,
    `DELETE /api/${path}/:name`,
    `POST /api/${path}/:name/restore`,
  ]).concat(['POST /api/features/:name/deprecate', 'POST /api/data-sources/:name/refresh']),
);

/** POST routes that read only (a body carries the question). */
export const READ_ONLY_ROUTES = new Set([
  'POST /api/online/features',
  'POST /api/training/features',
  'POST /api/training/point-in-time',
  'POST /api/uploads/:id/preview',
  'POST /api/transforms/preview',
  'POST /api/transforms/plan',
  'POST /api/monitoring/drift',
  'POST /api/monitoring/drift/series',
  'POST /api/monitoring/skew',
  'POST /api/definitions/plan',
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
  'POST /api/transforms/:name/runs': { action: 'transform.run', kind: 'transform', name: (p) => p['name'] ?? '-' },
  'POST /api/monitoring/rules': { action: 'alert_rule.put', kind: 'alert_rule', name: (_p, b) => String(b?.['name'] ?? '-') },
  'DELETE /api/monitoring/rules/:name': { action: 'alert_rule.delete', kind: 'alert_rule', name: (p) => p['name'] ?? '-' },
  'POST /api/monitoring/evaluate': { action: 'alert_rule.evaluate', kind: 'alert_rule', name: () => '*' },
  'POST /api/monitoring/alerts/:id/ack': { action: 'alert.acknowledge', kind: 'alert', name: (p) => p['id'] ?? '-' },
  'POST /api/definitions/apply': { action: 'definitions.apply', kind: 'definitions', name: () => '-' },
};

export function routeKey(method: string, route: string): string {
  return `${method} ${route}`;
}

/**
 * Records an audit event for every successful mutating request that the registry does not audit,
 * before the response is sent: a client that saw success can find the event.
 */
export function installOperationAudit(app: FastifyInstance, registry: RegistryService): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!['POST', 'PUT', 'DELETE', 'PATCH'].includes(req.method) || reply.statusCode >= 400) return payload;
    const route = req.routeOptions.url;
    if (!route || !route.startsWith('/api/')) return payload;
    const key = routeKey(req.method, route);
    if (REGISTRY_ROUTES.has(key) || READ_ONLY_ROUTES.has(key)) return payload;
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
  });
}

function paramsOf(req: FastifyRequest): Params {
  return (req.params ?? {}) as Params;
}

function bodyOf(req: FastifyRequest): Body {
  return req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? (req.body as Record<string, unknown>) : undefined;
}
