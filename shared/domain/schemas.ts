/**
 * One schema per registry type. The service validates requests with them, the OpenAPI document is
 * generated from them, and the TypeScript types below are derived from them (never written twice).
 */
import { Type, type Static, type TSchema, type TSchemaOptions } from 'typebox';
import { FEATURE_TYPES, VALUE_TYPES, type FeatureType, type ValueType } from './value-types.js';
import { ValidationRules } from './validation-rules.js';

/**
 * `null` or the schema, null tried first. Request bodies are validated with type coercion (needed
 * for query strings), which turns `null` into `""` when a string branch comes first: a `source` or
 * `replaced_by` sent as null was stored as "" (or looked up as the feature ''). Null first keeps
 * null, and makes "" null too: "nothing" either way.
 */
function NullOr<T extends TSchema>(schema: T, options: TSchemaOptions = {}) {
  return Type.Union([Type.Null(), schema], options);
}

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 63, description });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 64,
  description: 'Free-form labels used for search and filtering',
});
const Description = Type.String({ maxLength: 4000 });
const Timestamp = Type.String({ format: 'date-time' });

export const ObjectStatus = Type.Union([Type.Literal('active'), Type.Literal('deprecated'), Type.Literal('archived')], {
  description: 'deprecated: still served, with a warning to clients; archived: no longer served',
});
export type ObjectStatus = Static<typeof ObjectStatus>;

/** Fields every stored registry object carries, maintained by the registry, never by clients. */
const StoredFields = {
  version: Type.Integer({ minimum: 1, description: 'Current version number; every change adds one' }),
  status: ObjectStatus,
  created_at: Timestamp,
  updated_at: Timestamp,
  updated_by: Type.String(),
};

// ---- Entity ----
export const EntityInput = Type.Object(
  {
    name: Name('snake_case entity name, e.g. usuario'),
    join_key: Type.Optional(Name('Column holding the entity key in ingested data; defaults to <name>_id')),
    description: Type.Optional(Description),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export type EntityInput = Static<typeof EntityInput>;

export const EntityUpdate = Type.Partial(Type.Omit(EntityInput, ['name']), { additionalProperties: false });
export type EntityUpdate = Static<typeof EntityUpdate>;

export const Entity = Type.Object({
  name: Type.String(),
  join_key: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  ...StoredFields,
});
export type Entity = Static<typeof Entity>;

// ---- Feature group ----
export const FeatureGroupInput = Type.Object(
  {
    name: Name('snake_case feature group name, e.g. demografia'),
    entity: Name('Entity the group describes'),
    description: Type.Optional(Description),
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    tags: Type.Optional(Tags),
    source: Type.Optional(NullOr(Type.String({ maxLength: 2000 }))),
    ttl_seconds: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
        description: 'Online values older than this are served as EXPIRED and ignored by training joins; null means no expiry',
      }),
    ),
    online: Type.Optional(Type.Boolean({ description: 'Serve this group from the online store (default true)' })),
  },
  { additionalProperties: false },
);
export type FeatureGroupInput = Static<typeof FeatureGroupInput>;

export const FeatureGroupUpdate = Type.Partial(Type.Omit(FeatureGroupInput, ['name', 'entity']), {
  additionalProperties: false,
});
export type FeatureGroupUpdate = Static<typeof FeatureGroupUpdate>;

export const FeatureGroup = Type.Object({
  name: Type.String(),
  entity: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  tags: Type.Array(Type.String()),
  source: Type.Union([Type.String(), Type.Null()]),
  ttl_seconds: Type.Union([Type.Integer(), Type.Null()]),
  online: Type.Boolean(),
  transform: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'The transform that computes this group (set when a transform is published)' }),
  ),
  ...StoredFields,
});
export type FeatureGroup = Static<typeof FeatureGroup>;

/** A group as returned by the API: with the names of its active features (derived, not stored). */
export const FeatureGroupView = Type.Intersect([FeatureGroup, Type.Object({ features: Type.Array(Type.String()) })]);
export type FeatureGroupView = Static<typeof FeatureGroupView>;

// ---- Feature ----
export const Deprecation = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why, and what to do instead' }),
    replaced_by: Type.Optional(NullOr(Type.String({ maxLength: 63 }), { description: 'The feature to use instead' })),
  },
  { additionalProperties: false },
);
export type Deprecation = Static<typeof Deprecation>;

export const FeatureTypeSchema = Type.Unsafe<FeatureType>({ type: 'string', enum: [...FEATURE_TYPES] });
export const ValueTypeSchema = Type.Unsafe<ValueType>({ type: 'string', enum: [...VALUE_TYPES] });

export const FeatureInput = Type.Object(
  {
    name: Name('snake_case feature name, ideally prefixed with the entity: usuario_idade'),
    description: Type.Optional(Description),
    feature_type: Type.Optional(FeatureTypeSchema),
    value_type: ValueTypeSchema,
    entity: Name('Entity the feature describes; created with join key <entity>_id if it does not exist'),
    feature_group: Type.Optional(
      Type.Union([Name("Group that stores the feature. If omitted: the first batch's group, or for streamed and pushed values the entity's default group `<entity>_default` (created on demand)"), Type.Null()]),
    ),
    tags: Type.Optional(Tags),
    source: Type.Optional(NullOr(Type.String({ maxLength: 2000 }))),
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    validation: Type.Optional(Type.Union([ValidationRules, Type.Null()], { description: 'Rules checked on every ingestion; null removes them' })),
  },
  { additionalProperties: false },
);
export type FeatureInput = Static<typeof FeatureInput>;

export const FeatureUpdate = Type.Partial(Type.Omit(FeatureInput, ['name', 'entity']), { additionalProperties: false });
export type FeatureUpdate = Static<typeof FeatureUpdate>;

export const Feature = Type.Object({
  name: Type.String(),
  description: Type.String(),
  feature_type: FeatureTypeSchema,
  value_type: ValueTypeSchema,
  entity: Type.String(),
  feature_group: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  source: Type.Union([Type.String(), Type.Null()]),
  owner: Type.String(),
  validation: Type.Optional(Type.Union([ValidationRules, Type.Null()])),
  deprecation: Type.Optional(Type.Union([Deprecation, Type.Null()])),
  ...StoredFields,
});
export type Feature = Static<typeof Feature>;

// ---- Data source ----
export const DATA_SOURCE_TYPES = ['file', 'postgres', 'feature_group'] as const;
export type DataSourceType = (typeof DATA_SOURCE_TYPES)[number];

/** A column of a source or transform output as DuckDB sees it. */
export const ColumnSchema = Type.Object({
  name: Type.String(),
  type: Type.String({ description: 'DuckDB type, e.g. BIGINT, DOUBLE, VARCHAR, TIMESTAMP WITH TIME ZONE' }),
});
export type ColumnSchema = Static<typeof ColumnSchema>;

export const DataSourceInput = Type.Object(
  {
    name: Name('snake_case source name; transforms use it as a table name, e.g. transactions'),
    type: Type.Unsafe<DataSourceType>({ type: 'string', enum: [...DATA_SOURCE_TYPES] }),
    description: Type.Optional(Description),
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    tags: Type.Optional(Tags),
    path: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'file: absolute path or glob (wildcards in the file name only) inside fileSourceDirs' }),
    ),
    upload_id: Type.Optional(
      Type.String({ description: 'file: instead of a path, an upload (POST /api/uploads/) that FStore keeps in its data folder as this source' }),
    ),
    format: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['csv', 'parquet', 'json', 'ndjson'], description: 'file: defaults to the extension' })),
    connection: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          'postgres: env:VARIABLE naming an environment variable that holds the URL, a postgres:// URL without a password, or conn:NAME (a saved connection, stored as its URL)',
      }),
    ),
    table: Type.Optional(Type.String({ minLength: 1, maxLength: 127, description: 'postgres: table or schema.table' })),
    query: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000, description: 'postgres: a SELECT to read instead of a table' })),
    feature_group: Type.Optional(Name('feature_group: the group whose history the source exposes')),
  },
  { additionalProperties: false },
);
export type DataSourceInput = Static<typeof DataSourceInput>;

export const DataSourceUpdate = Type.Partial(Type.Omit(DataSourceInput, ['name', 'type', 'upload_id']), { additionalProperties: false });
export type DataSourceUpdate = Static<typeof DataSourceUpdate>;

export const DataSource = Type.Object({
  name: Type.String(),
  type: Type.Unsafe<DataSourceType>({ type: 'string', enum: [...DATA_SOURCE_TYPES] }),
  description: Type.String(),
  owner: Type.String(),
  tags: Type.Array(Type.String()),
  path: Type.Union([Type.String(), Type.Null()]),
  format: Type.Union([Type.String(), Type.Null()]),
  connection: Type.Union([Type.String(), Type.Null()]),
  table: Type.Union([Type.String(), Type.Null()]),
  query: Type.Union([Type.String(), Type.Null()]),
  feature_group: Type.Union([Type.String(), Type.Null()]),
  columns: Type.Array(ColumnSchema, { description: 'Schema read from the source when it was last saved' }),
  ...StoredFields,
});
export type DataSource = Static<typeof DataSource>;

// ---- Transform ----
export const TRANSFORM_LANGUAGES = ['sql', 'typescript'] as const;
export type TransformLanguage = (typeof TRANSFORM_LANGUAGES)[number];
export const TransformLanguageSchema = Type.Unsafe<TransformLanguage>({ type: 'string', enum: [...TRANSFORM_LANGUAGES] });

/** Where a transform run executes: the embedded DuckDB engine, Spark, or chosen by size (docs/spark.md). */
export const TRANSFORM_ENGINES = ['auto', 'duckdb', 'spark'] as const;
export type TransformEngineChoice = (typeof TRANSFORM_ENGINES)[number];
export const TransformEngineChoice = Type.Unsafe<TransformEngineChoice>({
  type: 'string',
  enum: [...TRANSFORM_ENGINES],
  description: 'auto (default): Spark when it is configured and the file sources add up to sparkThresholdBytes or more, else duckdb',
});

/** The parts of a transform that decide its output: what preview needs. */
export const TransformCode = {
  language: TransformLanguageSchema,
  code: Type.String({ minLength: 1, maxLength: 200_000, description: 'SQL: one SELECT in the DuckDB dialect over the sources. TypeScript: a module whose default export maps an input row to a feature row' }),
  sources: Type.Array(Name('A data source name'), {
    minItems: 1,
    maxItems: 16,
    description: 'SQL: the tables the query reads. TypeScript: the first source supplies the input rows',
  }),
  entity: Name('Entity the output describes'),
  entity_key_column: Type.Optional(Name('Output column with the entity key; defaults to the entity join key')),
  event_time_column: Type.Optional(
    Type.Union([Name('Output column with the event time'), Type.Null()], {
      description: 'Defaults to event_time, event_timestamp or timestamp when present; null stamps values with the run time',
    }),
  ),
};

/** A value an on-demand transform reads from the request (online) or the label row (training). */
export const RequestInput = Type.Object(
  {
    // No description: the Python SDK types share one class with RegisteredFeature (same shape).
    name: Type.String({ minLength: 1, maxLength: 63 }),
    value_type: ValueTypeSchema,
  },
  { additionalProperties: false },
);
export type RequestInput = Static<typeof RequestInput>;

export const TransformInput = Type.Object(
  {
    name: Name('snake_case transform name'),
    description: Type.Optional(Description),
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    tags: Type.Optional(Tags),
    ...TransformCode,
    feature_group: Type.Optional(Name('Derived feature group the transform writes; defaults to the transform name')),
    on_demand: Type.Optional(
      Type.Boolean({ description: 'TypeScript row transforms over one feature_group source: computed at request time in online serving (and in batch for training)' }),
    ),
    request_inputs: Type.Optional(
      Type.Array(RequestInput, {
        maxItems: 64,
        description:
          'On-demand transforms: {name, value_type} of values the row function receives beside the stored features, from request_data online and from the label columns of the same names in training',
      }),
    ),
    ttl_seconds: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    online: Type.Optional(Type.Boolean()),
    engine: Type.Optional(TransformEngineChoice),
  },
  { additionalProperties: false },
);
export type TransformInput = Static<typeof TransformInput>;

export const OutputFeature = Type.Object({
  name: Type.String(),
  value_type: ValueTypeSchema,
  duck_type: Type.String(),
});
export type OutputFeature = Static<typeof OutputFeature>;

export const Transform = Type.Object({
  name: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  tags: Type.Array(Type.String()),
  language: TransformLanguageSchema,
  code: Type.String(),
  sources: Type.Array(Type.String()),
  entity: Type.String(),
  feature_group: Type.String(),
  entity_key_column: Type.String(),
  event_time_column: Type.Union([Type.String(), Type.Null()]),
  on_demand: Type.Boolean(),
  request_inputs: Type.Optional(
    Type.Array(RequestInput, { description: 'Request inputs {name, value_type}: from request_data online, from label columns in training. Absent: stored features only' }),
  ),
  engine: Type.Optional(TransformEngineChoice),
  features: Type.Array(OutputFeature, { description: 'Output feature columns, inferred by running the transform at publish time' }),
  ...StoredFields,
});
export type Transform = Static<typeof Transform>;

// ---- Feature service ----
/** `group:feature` or a feature name (`usuario_idade`, or `idade` within the entity's other references). */
export const FeatureReference = Type.String({
  minLength: 1,
  maxLength: 127,
  description: '"group:feature" (the feature must be in that group) or a feature name',
});

export const FeatureServiceInput = Type.Object(
  {
    name: Name('snake_case feature service name, usually after the model it feeds: fraude_modelo_v2'),
    description: Type.Optional(Description),
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    tags: Type.Optional(Tags),
    features: Type.Array(FeatureReference, {
      minItems: 1,
      maxItems: 1000,
      description: 'The features the model consumes, from one or several groups of one entity, in output order',
    }),
  },
  { additionalProperties: false },
);
export type FeatureServiceInput = Static<typeof FeatureServiceInput>;

export const FeatureServiceUpdate = Type.Partial(Type.Omit(FeatureServiceInput, ['name']), { additionalProperties: false });
export type FeatureServiceUpdate = Static<typeof FeatureServiceUpdate>;

export const FeatureService = Type.Object({
  name: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  tags: Type.Array(Type.String()),
  entity: Type.String({ description: 'The entity every feature of the service describes (derived from the features)' }),
  features: Type.Array(Type.String(), { description: 'Registered feature names, resolved from the references when saved, in output order' }),
  ...StoredFields,
});
export type FeatureService = Static<typeof FeatureService>;

/** The definition fields of each kind: what versions snapshot and diffs compare. */
export type Definition<K extends keyof KindMap> = Omit<KindMap[K], keyof typeof StoredFields>;
export interface KindMap {
  entity: Entity;
  feature_group: FeatureGroup;
  feature: Feature;
  data_source: DataSource;
  transform: Transform;
  feature_service: FeatureService;
}
export const STORED_FIELD_NAMES = Object.keys(StoredFields) as (keyof typeof StoredFields)[];

// ---- Versions, diffs, audit ----
export const FieldChange = Type.Object({
  field: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type FieldChange = Static<typeof FieldChange>;

export const VersionRecord = Type.Object({
  kind: Type.Union([
    Type.Literal('entity'),
    Type.Literal('feature_group'),
    Type.Literal('feature'),
    Type.Literal('data_source'),
    Type.Literal('transform'),
    Type.Literal('feature_service'),
  ]),
  name: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  created_at: Timestamp,
  author: Type.String(),
  action: Type.Union([
    Type.Literal('create'),
    Type.Literal('update'),
    Type.Literal('archive'),
    Type.Literal('restore'),
    Type.Literal('deprecate'),
  ]),
  summary: Type.String(),
  changes: Type.Array(FieldChange),
  definition: Type.Record(Type.String(), Type.Unknown()),
});
export type VersionRecord = Static<typeof VersionRecord>;

export const VersionDiff = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  changes: Type.Array(FieldChange),
});
export type VersionDiff = Static<typeof VersionDiff>;

export const AuditEvent = Type.Object({
  id: Type.String(),
  time: Timestamp,
  actor: Type.String(),
  action: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  version_before: Type.Union([Type.Integer(), Type.Null()]),
  version_after: Type.Union([Type.Integer(), Type.Null()]),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type AuditEvent = Static<typeof AuditEvent>;
