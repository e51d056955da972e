/** Request and response schemas of ingestion, online serving and training retrieval. */
import { Type, type Static } from 'typebox';
import { ValueTypeSchema } from '../domain/schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 63 });
const EntityKey = Type.String({ minLength: 1, maxLength: 512 });
const FeatureList = Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 1000 });

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

// ---- Online serving ----
export const OnlineRequest = Type.Object(
  {
    entity: Name,
    entity_keys: Type.Array(EntityKey, { minItems: 1, maxItems: 10000 }),
    feature_list: FeatureList,
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
  results: Type.Array(
    Type.Object({
      entity_key: Type.String(),
      features: Type.Record(Type.String(), OnlineFeatureValue),
    }),
  ),
});
export type OnlineResponse = Static<typeof OnlineResponse>;

// ---- Training retrieval ----
export const TrainingFormat = Type.Union([Type.Literal('json'), Type.Literal('parquet'), Type.Literal('csv')]);
export type TrainingFormat = Static<typeof TrainingFormat>;

export const TrainingRangeRequest = Type.Object(
  {
    entity: Name,
    feature_list: FeatureList,
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
    entity: Name,
    feature_list: FeatureList,
    rows: Type.Array(LabelRow, { minItems: 1 }),
    format: Type.Optional(TrainingFormat),
  },
  { additionalProperties: false },
);
export type TrainingPointInTimeRequest = Static<typeof TrainingPointInTimeRequest>;

export const TrainingJsonResponse = Type.Object({
  entity: Type.String(),
  features: Type.Array(Type.String()),
  columns: Type.Array(Type.String()),
  row_count: Type.Integer(),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});
export type TrainingJsonResponse = Static<typeof TrainingJsonResponse>;
