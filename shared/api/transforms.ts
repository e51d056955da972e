/** Transform preview, publish plan, runs and lineage: the request and response shapes. */
import { Type, type Static } from 'typebox';
import { FieldChange, OutputFeature, RequestInput, TransformCode, TransformEngineChoice, ValueTypeSchema } from '../domain/schemas.js';

export const SAMPLE_MODES = ['head', 'random', 'all'] as const;
export type SampleMode = (typeof SAMPLE_MODES)[number];

export const SampleSpec = Type.Object(
  {
    mode: Type.Unsafe<SampleMode>({
      type: 'string',
      enum: [...SAMPLE_MODES],
      description: 'head: the first rows of each source; random: a reservoir sample of each source; all: every row',
    }),
    rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Rows per source for head and random (default 10000)' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, description: 'Seed of the random sample, for repeatable previews' })),
  },
  { additionalProperties: false },
);
export type SampleSpec = Static<typeof SampleSpec>;

export const TransformPreviewRequest = Type.Object(
  {
    ...TransformCode,
    sample: Type.Optional(SampleSpec),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000, description: 'Result rows returned (default 200); statistics cover all result rows' })),
    request_inputs: Type.Optional(Type.Array(RequestInput, { maxItems: 64 })),
    request_data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'On-demand transforms: a value for each of request_inputs, given to every sample row' }),
    ),
  },
  { additionalProperties: false },
);
export type TransformPreviewRequest = Static<typeof TransformPreviewRequest>;

export const ColumnRole = Type.Unsafe<'entity_key' | 'event_time' | 'feature'>({ type: 'string', enum: ['entity_key', 'event_time', 'feature'] });
export type ColumnRole = 'entity_key' | 'event_time' | 'feature';

export const PreviewColumn = Type.Object({
  name: Type.String(),
  duck_type: Type.String(),
  value_type: Type.Union([ValueTypeSchema, Type.Null()], { description: 'The feature value type this column would get; null when it cannot be a feature' }),
  role: ColumnRole,
});
export type PreviewColumn = Static<typeof PreviewColumn>;

export const PREVIEW_HISTOGRAM_BINS = 10;

export const ColumnStats = Type.Object({
  column: Type.String(),
  count: Type.Integer(),
  nulls: Type.Integer(),
  distinct: Type.Integer({ description: 'Approximate (HyperLogLog) on large results' }),
  min: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  max: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  mean: Type.Union([Type.Number(), Type.Null()]),
  quantiles: Type.Optional(
    Type.Object(
      { p5: Type.Number(), p25: Type.Number(), p50: Type.Number(), p75: Type.Number(), p95: Type.Number() },
      { description: 'Numeric columns with values: percentiles (linear interpolation)' },
    ),
  ),
  histogram: Type.Optional(
    Type.Array(Type.Object({ lower: Type.Number(), upper: Type.Number(), count: Type.Integer() }), {
      description: `Numeric columns with values: counts in ${PREVIEW_HISTOGRAM_BINS} equal-width bins from min to max (the last bin includes max; one bin when min = max)`,
    }),
  ),
});
export type ColumnStats = Static<typeof ColumnStats>;

export const TransformPreview = Type.Object({
  columns: Type.Array(PreviewColumn),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'The first result rows; timestamps as ISO-8601 text' }),
  row_count: Type.Integer({ description: 'Result rows in total' }),
  stats: Type.Array(ColumnStats),
  source_rows: Type.Record(Type.String(), Type.Integer(), { description: 'Rows each source contributed (after sampling)' }),
  sample: Type.Object({ mode: Type.String(), rows: Type.Union([Type.Integer(), Type.Null()]) }),
  entity_key_column: Type.String(),
  event_time_column: Type.Union([Type.String(), Type.Null()]),
  elapsed_ms: Type.Number(),
  warnings: Type.Array(Type.String()),
});
export type TransformPreview = Static<typeof TransformPreview>;

/** The studio's Parquet download of a preview: the rows it shows, with the types it reported. */
export const PreviewParquetRequest = Type.Object(
  {
    columns: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 300 }),
          duck_type: Type.String({ minLength: 1, maxLength: 200, description: "The preview's DuckDB type; other than a plain type (VARCHAR, DOUBLE[], DECIMAL(18,3)), written as JSON text" }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 2000 },
    ),
    rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 5000, description: 'As in the preview answer; timestamps as ISO-8601 text' }),
  },
  { additionalProperties: false },
);
export type PreviewParquetRequest = Static<typeof PreviewParquetRequest>;

/** Where a transform error is in the code, 1-based; part of the error's details. */
export const CodeLocation = Type.Object({ line: Type.Integer(), column: Type.Integer() });
export type CodeLocation = Static<typeof CodeLocation>;

export const ObjectChange = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  action: Type.Unsafe<'create' | 'update' | 'archive' | 'unchanged'>({ type: 'string', enum: ['create', 'update', 'archive', 'unchanged'] }),
  version_before: Type.Union([Type.Integer(), Type.Null()]),
  changes: Type.Array(FieldChange),
  breaking: Type.Boolean({ description: 'True when consumers may break: a feature removed or its value type changed' }),
});
export type ObjectChange = Static<typeof ObjectChange>;

export const LineageRef = Type.Object({ kind: Type.String(), name: Type.String() });
export type LineageRef = Static<typeof LineageRef>;

export const PublishPlan = Type.Object({
  transform: Type.String(),
  changes: Type.Array(ObjectChange, { description: 'Every registry object publishing would create, change or archive' }),
  output: Type.Array(OutputFeature),
  dependents: Type.Array(LineageRef, { description: 'Objects downstream of the transform: its group, features, and transforms reading them' }),
  breaking: Type.Boolean(),
  warnings: Type.Array(Type.String()),
});
export type PublishPlan = Static<typeof PublishPlan>;

export const TransformRunRequest = Type.Object(
  {
    start: Type.Optional(Type.String({ description: 'Keep output rows with event time at or after this date/time (backfill window)' })),
    end: Type.Optional(Type.String({ description: 'Keep output rows with event time at or before this date/time; also the stamp when the transform has no event time column' })),
    engine: Type.Optional(TransformEngineChoice),
  },
  { additionalProperties: false },
);
export type TransformRunRequest = Static<typeof TransformRunRequest>;

export const LineageNode = Type.Object({
  id: Type.String({ description: 'kind:name' }),
  kind: Type.String(),
  name: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String(),
});
export type LineageNode = Static<typeof LineageNode>;

export const LineageGraph = Type.Object({
  root: Type.String(),
  nodes: Type.Array(LineageNode),
  edges: Type.Array(Type.Object({ from: Type.String(), to: Type.String() }), { description: 'Data flows from -> to: source -> transform -> group -> feature -> feature service' }),
});
export type LineageGraph = Static<typeof LineageGraph>;

export const LINEAGE_KINDS = ['entity', 'feature_group', 'feature', 'data_source', 'transform', 'feature_service'] as const;
/** The kinds of registry object a lineage graph can start from. */
export type LineageKind = (typeof LINEAGE_KINDS)[number];

/** GET /api/lineage/{kind}/{name}. */
export const LineageParams = Type.Object({ kind: Type.Unsafe<LineageKind>({ type: 'string', enum: [...LINEAGE_KINDS] }), name: Type.String({ minLength: 1, maxLength: 200 }) });
export type LineageParams = Static<typeof LineageParams>;
