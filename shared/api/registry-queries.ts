/** The queries of the registry's list routes and of the audit log (GET /api/<kind>/, GET /api/audit). */
import { Type, type Static } from 'typebox';

const includeArchived = Type.Optional(Type.Boolean({ description: 'Also list archived objects' }));

export const ListEntitiesQuery = Type.Object({ include_archived: includeArchived }, { additionalProperties: false });
export type ListEntitiesQuery = Static<typeof ListEntitiesQuery>;

export const ListFeatureGroupsQuery = Type.Object({ entity: Type.Optional(Type.String()), include_archived: includeArchived }, { additionalProperties: false });
export type ListFeatureGroupsQuery = Static<typeof ListFeatureGroupsQuery>;

export const ListFeaturesQuery = Type.Object(
  {
    entity: Type.Optional(Type.String()),
    feature_group: Type.Optional(Type.String()),
    tag: Type.Optional(Type.String()),
    q: Type.Optional(Type.String({ description: 'Case-insensitive text in name, description or tags' })),
    include_archived: includeArchived,
  },
  { additionalProperties: false },
);
export type ListFeaturesQuery = Static<typeof ListFeaturesQuery>;

export const ListDataSourcesQuery = Type.Object({ type: Type.Optional(Type.String()), include_archived: includeArchived }, { additionalProperties: false });
export type ListDataSourcesQuery = Static<typeof ListDataSourcesQuery>;

export const ListTransformsQuery = Type.Object(
  { entity: Type.Optional(Type.String()), source: Type.Optional(Type.String()), include_archived: includeArchived },
  { additionalProperties: false },
);
export type ListTransformsQuery = Static<typeof ListTransformsQuery>;

/** GET /api/audit: every filter optional; newest events first, at most `limit` (service default when absent). */
export const AuditQuery = Type.Object(
  {
    kind: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    actor: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const ListFeatureServicesQuery = Type.Object(
  {
    entity: Type.Optional(Type.String()),
    feature: Type.Optional(Type.String({ description: 'Only services that serve this feature (its registered name)' })),
    include_archived: includeArchived,
  },
  { additionalProperties: false },
);
export type ListFeatureServicesQuery = Static<typeof ListFeatureServicesQuery>;
