import type { FastifyRequest } from 'fastify';
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import {
  AuditQuery,
  ListDataSourcesQuery,
  ListEntitiesQuery,
  ListFeatureGroupsQuery,
  ListFeatureServicesQuery,
  ListFeaturesQuery,
  ListTransformsQuery,
} from '@shared/api/registry-queries.js';
import type { RegistryKind } from '@shared/domain/names.js';
import {
  AuditEvent,
  DataSource,
  DataSourceInput,
  DataSourceUpdate,
  Deprecation,
  Entity,
  EntityInput,
  EntityUpdate,
  Feature,
  FeatureGroupInput,
  FeatureGroupUpdate,
  FeatureGroupView,
  FeatureInput,
  FeatureService,
  FeatureServiceInput,
  FeatureServiceUpdate,
  FeatureUpdate,
  Transform,
  TransformInput,
  VersionDiff,
  VersionRecord,
} from '@shared/domain/schemas.js';
import type { AppContext } from '../../app-context.js';
import type { WithWarnings } from '../../registry/registry-service.js';
import { AppError } from '../../errors/app-error.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });
const VersionParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), version: Type.Integer({ minimum: 1 }) });
const DiffQuery = Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const Warnings = Type.Object({ warnings: Type.Array(Type.String()) });
const withWarnings = (schema: TSchema) => Type.Intersect([schema, Warnings]);

/** The routes of one registry kind: its list query, create and update bodies type its functions. */
interface KindRoutes<Q extends TObject = TObject, I extends TSchema = TSchema, U extends TSchema = TSchema> {
  kind: RegistryKind;
  path: string;
  tag: string;
  schema: TSchema;
  input: I;
  updateSchema: U;
  listQuery: Q;
  list(ctx: AppContext, query: Static<Q>): Promise<unknown[]>;
  view(ctx: AppContext, doc: unknown): Promise<unknown>;
  create(ctx: AppContext, body: Static<I>, actor: string): Promise<WithWarnings<unknown>>;
  update(ctx: AppContext, name: string, body: Static<U>, actor: string, expected?: number): Promise<WithWarnings<unknown>>;
}

/**
 * One kind's entry, its functions typed from its own schemas; the table holds every kind alike. The
 * routes below pass each function only what the same entry's schema validated.
 */
function kindRoutes<Q extends TObject, I extends TSchema, U extends TSchema>(routes: KindRoutes<Q, I, U>): KindRoutes {
  return routes;
}

const KINDS: KindRoutes[] = [
  kindRoutes({
    kind: 'entity',
    path: '/api/entities',
    tag: 'Entities',
    schema: Entity,
    input: EntityInput,
    updateSchema: EntityUpdate,
    listQuery: ListEntitiesQuery,
    list: (ctx, q) => ctx.registry.list('entity', q.include_archived === true),
    view: async (_ctx, doc) => doc,
    create: (ctx, body, actor) => ctx.registry.createEntity(body, actor),
    update: (ctx, name, body, actor, expected) => ctx.registry.updateEntity(name, body, actor, expected),
  }),
  kindRoutes({
    kind: 'feature_group',
    path: '/api/feature-groups',
    tag: 'Feature groups',
    schema: FeatureGroupView,
    input: FeatureGroupInput,
    updateSchema: FeatureGroupUpdate,
    listQuery: ListFeatureGroupsQuery,
    list: async (ctx, q) => {
      const groups = (await ctx.registry.list('feature_group', q.include_archived === true)).filter(
        (g) => !q.entity || g.entity === q.entity,
      );
      return Promise.all(groups.map((g) => ctx.registry.groupView(g)));
    },
    view: (ctx, doc) => ctx.registry.groupView(doc as Parameters<AppContext['registry']['groupView']>[0]),
    create: (ctx, body, actor) => ctx.registry.createFeatureGroup(body, actor),
    update: (ctx, name, body, actor, expected) => ctx.registry.updateFeatureGroup(name, body, actor, expected),
  }),
  kindRoutes({
    kind: 'feature',
    path: '/api/features',
    tag: 'Features',
    schema: Feature,
    input: FeatureInput,
    updateSchema: FeatureUpdate,
    listQuery: ListFeaturesQuery,
    list: async (ctx, q) => {
      const text = typeof q.q === 'string' ? q.q.toLowerCase() : '';
      return (await ctx.registry.list('feature', q.include_archived === true)).filter(
        (f) =>
          (!q.entity || f.entity === q.entity) &&
          (!q.feature_group || f.feature_group === q.feature_group) &&
          (!q.tag || f.tags.includes(q.tag)) &&
          (!text || [f.name, f.description, ...f.tags].some((s) => s.toLowerCase().includes(text))),
      );
    },
    view: async (_ctx, doc) => doc,
    create: (ctx, body, actor) => ctx.registry.createFeature(body, actor),
    update: (ctx, name, body, actor, expected) => ctx.registry.updateFeature(name, body, actor, expected),
  }),
  kindRoutes({
    kind: 'data_source',
    path: '/api/data-sources',
    tag: 'Data sources',
    schema: DataSource,
    input: DataSourceInput,
    updateSchema: DataSourceUpdate,
    listQuery: ListDataSourcesQuery,
    list: async (ctx, q) => (await ctx.registry.list('data_source', q.include_archived === true)).filter((d) => !q.type || d.type === q.type),
    view: async (_ctx, doc) => doc,
    create: (ctx, body, actor) => ctx.dataSources.create(body, actor),
    update: (ctx, name, body, actor, expected) => ctx.dataSources.update(name, body, actor, expected),
  }),
  kindRoutes({
    kind: 'transform',
    path: '/api/transforms',
    tag: 'Transforms',
    schema: Transform,
    input: TransformInput,
    updateSchema: TransformInput,
    listQuery: ListTransformsQuery,
    list: async (ctx, q) =>
      (await ctx.registry.list('transform', q.include_archived === true)).filter(
        (t) => (!q.entity || t.entity === q.entity) && (!q.source || t.sources.includes(q.source)),
      ),
    view: async (_ctx, doc) => doc,
    create: (ctx, body, actor) => ctx.transforms.publish(body, actor, 'create'),
    update: (ctx, name, body, actor, expected) => {
      if (body.name !== name) throw new AppError('FSTORE_VALIDATION_FAILED', `The body names transform '${body.name}' but the URL names '${name}'`);
      return ctx.transforms.publish(body, actor, 'update', expected);
    },
  }),
  kindRoutes({
    kind: 'feature_service',
    path: '/api/feature-services',
    tag: 'Feature services',
    schema: FeatureService,
    input: FeatureServiceInput,
    updateSchema: FeatureServiceUpdate,
    listQuery: ListFeatureServicesQuery,
    list: async (ctx, q) =>
      (await ctx.registry.list('feature_service', q.include_archived === true)).filter(
        (s) => (!q.entity || s.entity === q.entity) && (!q.feature || s.features.includes(q.feature)),
      ),
    view: async (_ctx, doc) => doc,
    create: (ctx, body, actor) => ctx.registry.createFeatureService(body, actor),
    update: (ctx, name, body, actor, expected) => ctx.registry.updateFeatureService(name, body, actor, expected),
  }),
];

/** CRUD, versions and diffs for every registry kind, from one table of kinds. */
export function registerRegistryRoutes(app: TypedApp, ctx: AppContext): void {
  for (const k of KINDS) {
    const tags = [k.tag];
    app.get(`${k.path}/`, { schema: { tags, summary: `List ${k.tag.toLowerCase()}`, querystring: k.listQuery, response: { 200: Type.Array(k.schema) } } }, (req) =>
      k.list(ctx, req.query),
    );
    app.post(
      `${k.path}/`,
      { schema: { tags, summary: `Create (version 1)`, body: k.input, response: { 201: withWarnings(k.schema) } } },
      async (req, reply) => reply.status(201).send(await k.create(ctx, req.body, actorOf(req))),
    );
    app.get(`${k.path}/:name`, { schema: { tags, summary: 'Get the current version', params: NameParams, response: { 200: k.schema } } }, async (req) =>
      k.view(ctx, await ctx.registry.get(k.kind, req.params.name)),
    );
    app.put(
      `${k.path}/:name`,
      {
        schema: {
          tags,
          summary: 'Change the definition (creates a new version)',
          description: 'Send `If-Match: <version>` to fail with 409 when someone else changed it since you read it.',
          params: NameParams,
          body: k.updateSchema,
          response: { 200: withWarnings(k.schema) },
        },
      },
      (req) => k.update(ctx, req.params.name, req.body, actorOf(req), expectedVersion(req)),
    );
    app.delete(
      `${k.path}/:name`,
      { schema: { tags, summary: 'Archive (recorded as a new version; history is kept)', params: NameParams, response: { 200: k.schema } } },
      async (req) => k.view(ctx, await ctx.registry.archive(k.kind, req.params.name, actorOf(req))),
    );
    app.post(
      `${k.path}/:name/restore`,
      { schema: { tags, summary: 'Restore an archived object (new version)', params: NameParams, response: { 200: k.schema } } },
      async (req) => k.view(ctx, await ctx.registry.restore(k.kind, req.params.name, actorOf(req))),
    );
    app.get(
      `${k.path}/:name/versions`,
      { schema: { tags, summary: 'List versions, oldest first', params: NameParams, response: { 200: Type.Array(VersionRecord) } } },
      (req) => ctx.registry.versions(k.kind, req.params.name),
    );
    app.get(
      `${k.path}/:name/versions/:version`,
      { schema: { tags, summary: 'Read one version', params: VersionParams, response: { 200: VersionRecord } } },
      (req) => {
        const { name, version } = req.params;
        return ctx.registry.version(k.kind, name, version);
      },
    );
    app.get(
      `${k.path}/:name/diff`,
      { schema: { tags, summary: 'Field-level diff between two versions', params: NameParams, querystring: DiffQuery, response: { 200: VersionDiff } } },
      (req) => {
        const { from, to } = req.query;
        return ctx.registry.diff(k.kind, req.params.name, from, to);
      },
    );
  }

  app.post(
    '/api/features/:name/deprecate',
    {
      schema: {
        tags: ['Features'],
        summary: 'Deprecate a feature (new version): still served, with a warning to clients',
        description: 'Online and training responses that include it carry `warnings` (and an `X-FStore-Warning` header). Archive it later to stop serving it; restore undoes either.',
        params: NameParams,
        body: Deprecation,
        response: { 200: Feature },
      },
    },
    (req) => ctx.registry.deprecate(req.params.name, req.body, actorOf(req)),
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['Audit'],
        summary: 'Audit events, newest first',
        querystring: AuditQuery,
        response: { 200: Type.Array(AuditEvent) },
      },
    },
    (req) => ctx.registry.audit(req.query),
  );
}

function expectedVersion(req: FastifyRequest): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const n = Number(String(raw).replace(/"/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError('FSTORE_VALIDATION_FAILED', `If-Match must be a version number, got '${String(raw)}'`);
  }
  return n;
}
