/** GET /api/features/{name}/profile: what a feature's stored values look like, and where they came from. */
import { Type, type Static } from 'typebox';
import { FeatureStatus } from './serving.js';

const Num = Type.Union([Type.Number(), Type.Null()]);
const Text = Type.Union([Type.String(), Type.Null()]);

export const PROFILE_DEFAULT_MAX_VALUES = 1_000_000;
export const PROFILE_MAX_VALUES_LIMIT = 20_000_000;

export const ProfileQuery = Type.Object(
  {
    max_values: Type.Optional(
      Type.Integer({
        minimum: 1000,
        maximum: PROFILE_MAX_VALUES_LIMIT,
        description: `The statistics read the newest days of history holding about this many values (default ${PROFILE_DEFAULT_MAX_VALUES.toLocaleString('en-US')})`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type ProfileQuery = Static<typeof ProfileQuery>;

export const ProfileBin = Type.Object({ lower: Type.Number(), upper: Type.Number(), count: Type.Integer() });
export type ProfileBin = Static<typeof ProfileBin>;

export const IngestionKind = Type.Unsafe<'file_job' | 'file_upload' | 'rows' | 'sql_pull'>({
  type: 'string',
  enum: ['file_job', 'file_upload', 'rows', 'sql_pull'],
});
export type IngestionKind = Static<typeof IngestionKind>;

export const IngestionSource = Type.Object({
  kind: IngestionKind,
  description: Type.String({ description: 'For people, e.g. "file dados.csv (csv), job 3f2a…"' }),
  filename: Text,
  format: Text,
  job_id: Text,
  at: Type.String({ description: 'When the ingestion ended (ISO-8601)' }),
  by: Type.String(),
  values_written: Type.Union([Type.Integer(), Type.Null()]),
});
export type IngestionSource = Static<typeof IngestionSource>;

export const LatestValue = Type.Object({
  entity_key: Type.String(),
  value: Type.Unknown(),
  status: FeatureStatus,
  event_timestamp: Text,
});
export type LatestValue = Static<typeof LatestValue>;

export const FeatureProfile = Type.Object({
  feature: Type.String(),
  entity: Type.String(),
  feature_group: Text,
  value_type: Type.String(),
  kind: Type.Unsafe<'numeric' | 'categorical'>({ type: 'string', enum: ['numeric', 'categorical'] }),
  window: Type.Union(
    [
      Type.Object({
        start: Type.String(),
        end: Type.String(),
        complete: Type.Boolean({ description: 'False when older history was left out to bound the work (see max_values)' }),
        history_values: Type.Integer({ description: 'Values in the whole history' }),
      }),
      Type.Null(),
    ],
    { description: 'The event-time window the statistics cover; null when the feature has no values yet' },
  ),
  count: Type.Integer({ description: 'Values in the window' }),
  rows: Type.Integer({ description: "Rows (entity key, event time) of the feature's group in the window" }),
  null_rate: Num,
  distinct: Type.Integer({ description: 'Estimated (HyperLogLog) on large windows' }),
  min: Num,
  max: Num,
  mean: Num,
  std: Num,
  quantiles: Type.Record(Type.String(), Num, { description: 'p1, p5, p25, p50, p75, p95, p99 (estimated from a sample on large windows)' }),
  histogram: Type.Array(ProfileBin, { description: 'Numeric features: equal-width bins from min to max' }),
  top: Type.Array(Type.Object({ value: Type.Unknown(), count: Type.Integer() }), { description: 'Other features: the most frequent values' }),
  freshness: Type.Object({
    newest_event_time: Text,
    age_seconds: Num,
    values_last_day: Type.Integer({ description: 'Values with event times in the last 24 hours' }),
  }),
  latest: Type.Array(LatestValue, { description: 'What online serving answers now for the most recently written keys' }),
  ingestion: Type.Union([IngestionSource, Type.Null()], { description: 'The newest recorded ingestion that wrote the feature' }),
});
export type FeatureProfile = Static<typeof FeatureProfile>;
