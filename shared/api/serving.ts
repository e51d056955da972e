/** Request and response schemas of ingestion, online serving and training retrieval. */
import { Type, type Static } from 'typebox';
import { ValueTypeSchema } from '../domain/schemas.js';

const EntityKey = Type.String({ minLength: 1, maxLength: 512 });

/**
 * Which features a serving or training request reads: `feature_list` (names within `entity`) or
 * `feature_service` (a registered feature service, whose entity `entity` may repeat). Exactly one of
 * the two; the service answers 400 otherwise (a union would only say "does not match a schema").
 */
const FeatureSelection = {
  entity: Type.Optional(
    Type.String({ minLength: 1, maxLength: 63, description: "Entity of the keys. Required with feature_list; with feature_service it defaults to the service's entity" }),
  ),
  feature_list: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 63 }), {
      minItems: 1,
      maxItems: 1000,
      description: 'Feature names within the entity (`idade` finds `usuario_idade`); or give feature_service instead',
    }),
  ),
  feature_service: Type.Optional(
    Type.String({ minLength: 1, maxLength: 63, description: 'A feature service (POST /api/feature-services/): its features, in its order, instead of feature_list' }),
  ),
};

/** A request once its features are chosen: the entity and the names to resolve within it. */
export type Selected<T> = Omit<T, 'entity' | 'feature_list' | 'feature_service'> & { entity: string; feature_list: string[] };

export const FeatureStatus = Type.Union([Type.Literal('PRESENT'), Type.Literal('NOT_FOUND'), Type.Literal('EXPIRED')]);
export type FeatureStatus = Static<typeof FeatureStatus>;

// ---- Ingest ----
export const IngestRowsRequest = Type.Object(
  {
    rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type IngestRowsRequest = Static<typeof IngestRowsRequest>;

export const IngestReport = Type.Object({
  entity: Type.String(),
  feature_group: Type.String(),
  rows: Type.Integer({ description: 'Data rows read' }),
  values_written: Type.Integer({ description: 'Non-null (key, feature, event time) values written offline' }),
  empty_values: Type.Optional(Type.Integer({ description: 'Empty (null) cells of feature columns: not written' })),
  repeated_rows: Type.Optional(
    Type.Integer({ description: "Rows whose (entity key, event time) a later row of the file repeats: the later row's values are kept" }),
  ),
  online_values_written: Type.Integer(),
  entity_key_column: Type.String(),
  event_time_column: Type.Union([Type.String(), Type.Null()]),
  features: Type.Array(Type.String()),
  registered_features: Type.Array(
    Type.Object({ name: Type.String(), value_type: ValueTypeSchema }),
    { description: 'Columns that were new and registered as features with inferred types' },
  ),
  warnings: Type.Array(Type.String()),
  elapsed_ms: Type.Number(),
});
export type IngestReport = Static<typeof IngestReport>;

/** What POST /api/uploads/ answers: the id to preview and ingest by. */
export const UploadReceipt = Type.Object({
  upload_id: Type.String(),
  filename: Type.Union([Type.String(), Type.Null()]),
  format: Type.String(),
  size_bytes: Type.Integer(),
  created_at: Type.String(),
});
export type UploadReceipt = Static<typeof UploadReceipt>;

/** Which columns hold the entity key and event time, on the ingestion routes' query strings. */
export const ColumnChoiceFields = {
  key_column: Type.Optional(Type.String({ minLength: 1, description: 'Column holding the entity key (default: the conventions)' })),
  time_column: Type.Optional(Type.String({ minLength: 1, description: 'Column holding the event time (default: event_timestamp or timestamp)' })),
  ingestion_time: Type.Optional(Type.Boolean({ description: 'Stamp values with the ingestion time instead of a column' })),
  evolve_schema: Type.Optional(
    Type.Boolean({ description: "Re-type an existing feature (new version) whose column no longer fits its type, instead of rejecting" }),
  ),
};
export const FileFormat = Type.Union(['csv', 'parquet', 'json', 'ndjson'].map((f) => Type.Literal(f as 'csv' | 'parquet' | 'json' | 'ndjson')));

/** The query of an upload's dry run (POST /api/uploads/{id}/preview). */
export const PreviewQuery = Type.Object(
  { entity: Type.Optional(Type.String({ minLength: 1 })), feature_group: Type.Optional(Type.String({ minLength: 1 })), ...ColumnChoiceFields },
  { additionalProperties: false },
);
export type PreviewQuery = Static<typeof PreviewQuery>;

export const IngestPreview = Type.Object({
  rows: Type.Integer(),
  columns: Type.Array(Type.Object({ name: Type.String(), source_type: Type.String() })),
  sample: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'The first rows, as read' }),
  time_candidates: Type.Array(Type.String()),
  plan: Type.Union([
    Type.Object({
      entity: Type.String(),
      entity_exists: Type.Boolean(),
      feature_group: Type.String(),
      group_exists: Type.Boolean(),
      entity_key_column: Type.String(),
      event_time_column: Type.Union([Type.String(), Type.Null()], { description: 'Null: values get the ingestion time' }),
      key_candidates: Type.Array(Type.String()),
      time_candidates: Type.Array(Type.String()),
      features: Type.Array(
        Type.Object({
          column: Type.String(),
          feature: Type.String(),
          value_type: ValueTypeSchema,
          registration: Type.Union([Type.Literal('existing'), Type.Literal('new'), Type.Literal('assign')]),
        }),
      ),
      warnings: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
  problems: Type.Array(Type.String(), { description: 'Column-level problems that would reject the batch' }),
  validation: Type.Union([
    Type.Object({
      invalid_rows: Type.Integer(),
      errors: Type.Array(
        Type.Object({ row: Type.Integer(), column: Type.String(), value: Type.Optional(Type.Union([Type.String(), Type.Null()])), reason: Type.String() }),
      ),
    }),
    Type.Null(),
  ]),
});
export type IngestPreview = Static<typeof IngestPreview>;

// ---- Online serving ----
/** Request-time inputs of on-demand transforms: one object shared by all keys, or one per key. */
export const RequestData = Type.Union(
  [
    Type.Record(Type.String(), Type.Unknown()),
    Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 10000, description: 'One object per entity key, in the order of entity_keys' }),
  ],
  { description: "Values for the features' request_inputs (GET /api/transforms/{name}): an object for all keys, or an array with one object per key" },
);
export type RequestData = Static<typeof RequestData>;

export const OnlineRequest = Type.Object(
  {
    ...FeatureSelection,
    entity_keys: Type.Array(EntityKey, { minItems: 1, maxItems: 10000 }),
    request_data: Type.Optional(RequestData),
  },
  { additionalProperties: false },
);
export type OnlineRequest = Static<typeof OnlineRequest>;

export const OnlineFeatureValue = Type.Object({
  value: Type.Unknown(),
  status: FeatureStatus,
  event_timestamp: Type.Union([Type.String(), Type.Null()]),
});
export type OnlineFeatureValue = Static<typeof OnlineFeatureValue>;

export const OnlineResponse = Type.Object({
  entity: Type.String(),
  features: Type.Array(Type.String(), { description: 'Resolved feature names, in request order' }),
  value_types: Type.Record(Type.String(), ValueTypeSchema, { description: 'Value type per requested name (JSON cannot tell 5100.0 from 5100)' }),
  results: Type.Array(
    Type.Object({
      entity_key: Type.String(),
      features: Type.Record(Type.String(), OnlineFeatureValue),
    }),
  ),
  warnings: Type.Optional(Type.Array(Type.String(), { description: 'For example: a requested feature is deprecated (it is still served)' })),
});
export type OnlineResponse = Static<typeof OnlineResponse>;

// ---- Training retrieval ----
export const TrainingFormat = Type.Union([Type.Literal('json'), Type.Literal('parquet'), Type.Literal('csv')]);
export type TrainingFormat = Static<typeof TrainingFormat>;

export const TrainingRangeRequest = Type.Object(
  {
    ...FeatureSelection,
    start_date: Type.String({ minLength: 1, description: 'Inclusive; a date (YYYY-MM-DD, UTC midnight) or an ISO timestamp' }),
    end_date: Type.String({ minLength: 1, description: 'Inclusive; a date means the whole day, a timestamp that instant' }),
    format: Type.Optional(TrainingFormat),
  },
  { additionalProperties: false },
);
export type TrainingRangeRequest = Static<typeof TrainingRangeRequest>;

export const LabelRow = Type.Intersect([
  Type.Object({ entity_key: Type.Union([Type.String({ minLength: 1 }), Type.Number()]), timestamp: Type.String({ minLength: 1 }) }),
  Type.Record(Type.String(), Type.Unknown()),
]);

export const TrainingPointInTimeRequest = Type.Object(
  {
    ...FeatureSelection,
    rows: Type.Array(LabelRow, { minItems: 1 }),
    format: Type.Optional(TrainingFormat),
    engine: Type.Optional(
      Type.Union([Type.Literal('embedded'), Type.Literal('spark')], {
        description: "embedded (default): the offline store's own join; spark: a Spark job (needs sparkMaster; same rows, for label sets too large for one machine)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type TrainingPointInTimeRequest = Static<typeof TrainingPointInTimeRequest>;

/**
 * A point-in-time training set as a job, for label sets too large for one request: the labels are a
 * file (uploaded by POST /api/uploads/ or read on the server under `fileSourceDirs`), the output a
 * Parquet or CSV file downloaded from GET /api/jobs/{id}/result.
 */
/** Label rows from a query on a registered data source (docs/ingestion-sql.md#label-sets-from-a-query). */
export const LabelQuery = Type.Object(
  {
    source: Type.String({ minLength: 1, maxLength: 100, description: 'A registered data source (GET /api/data-sources/)' }),
    query: Type.String({
      minLength: 1,
      maxLength: 100_000,
      description:
        "One read-only SELECT. On a PostgreSQL source it runs on the source's database, where the source is also a table of its own name; on a file or feature-group source, in DuckDB over the source as a table of its name. At most labelQueryMaxRows rows, labelQueryTimeoutMs",
    }),
  },
  { additionalProperties: false },
);
export type LabelQuery = Static<typeof LabelQuery>;

export const TrainingSetJobRequest = Type.Object(
  {
    ...FeatureSelection,
    labels: Type.Union(
      [
        Type.Object({ upload: Type.String({ minLength: 1, maxLength: 100, description: 'An id from POST /api/uploads/' }) }, { additionalProperties: false }),
        Type.Object(
          { path: Type.String({ minLength: 1, maxLength: 4096, description: 'A file or glob on the server, under fileSourceDirs' }) },
          { additionalProperties: false },
        ),
        LabelQuery,
      ],
      {
        description:
          'The label rows: a file (CSV, Parquet, JSON or NDJSON) or the result of a query on a registered data source, with an entity key and a timestamp column; other columns pass through',
      },
    ),
    key_column: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Column of the entity key (default entity_key)' })),
    time_column: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Column of the label time (default timestamp)' })),
    keep_column_names: Type.Optional(
      Type.Boolean({
        description:
          "true: the output's key and time columns keep the label file's names (key_column, time_column); false (default): they are named entity_key and timestamp, as in POST /api/training/point-in-time",
      }),
    ),
    engine: Type.Optional(Type.Union([Type.Literal('embedded'), Type.Literal('spark')], { description: 'As for POST /api/training/point-in-time' })),
    format: Type.Optional(Type.Union([Type.Literal('parquet'), Type.Literal('csv')], { description: 'Output file format (default parquet)' })),
  },
  { additionalProperties: false },
);
export type TrainingSetJobRequest = Static<typeof TrainingSetJobRequest>;

/** The `result` of a succeeded training-set job. */
export interface TrainingSetJobResult {
  entity: string;
  features: string[];
  columns: string[];
  row_count: number;
  engine: 'embedded' | 'spark';
  format: 'parquet' | 'csv';
  size_bytes: number;
  /** Path of the output file on this service (GET); kept for `trainingResultRetentionHours`. */
  download: string;
  warnings?: string[];
}

/** GET /api/jobs/{id}/summary: a look at a finished training set before downloading it. */
export const TrainingSetSummary = Type.Object({
  job_id: Type.String(),
  row_count: Type.Integer({ description: 'Rows of the whole training set' }),
  columns: Type.Array(Type.String(), { description: 'Output columns in file order: key, time, labels, then one per feature' }),
  coverage: Type.Array(
    Type.Object({
      feature: Type.String({ description: 'The feature (its registered name)' }),
      column: Type.String({ description: 'Its column in the output (the name it was requested by)' }),
      non_null: Type.Integer({ description: 'Rows with a value' }),
      share: Type.Number({ minimum: 0, maximum: 1, description: 'non_null / row_count over the whole set (0 when it has no rows)' }),
    }),
    { description: 'Per feature column, over every row of the set (not only the preview)' },
  ),
  preview: Type.Array(Type.Array(Type.Unknown()), {
    description: "The first rows (at most `limit`), cells in `columns` order; times as ISO-8601 text, null for no value. A CSV set's cells are the file's text",
  }),
});
export type TrainingSetSummary = Static<typeof TrainingSetSummary>;

export const TrainingJsonResponse = Type.Object({
  entity: Type.String(),
  features: Type.Array(Type.String()),
  columns: Type.Array(Type.String()),
  row_count: Type.Integer(),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  warnings: Type.Optional(Type.Array(Type.String(), { description: 'For example: a requested feature is deprecated (it is still served)' })),
});
export type TrainingJsonResponse = Static<typeof TrainingJsonResponse>;
