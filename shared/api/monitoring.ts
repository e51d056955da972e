/** Monitoring: data quality, drift, skew, operations and alerts — request and response shapes. */
import { Type, type Static } from 'typebox';

const Num = Type.Union([Type.Number(), Type.Null()]);
const Instant = Type.String({ description: 'A date (YYYY-MM-DD, UTC) or an ISO-8601 timestamp' });

export const TimeWindow = Type.Object(
  { start: Instant, end: Type.String({ description: 'Inclusive; a bare date covers the whole day' }) },
  { additionalProperties: false },
);
export type TimeWindow = Static<typeof TimeWindow>;

export const QUANTILE_LABELS = ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'] as const;
export const QUANTILE_PROBABILITIES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export const TopValue = Type.Object({ value: Type.Unknown(), count: Type.Integer() });

export const FeatureQuality = Type.Object({
  feature: Type.String(),
  feature_group: Type.Union([Type.String(), Type.Null()]),
  value_type: Type.String(),
  count: Type.Integer({ description: 'Values in the window' }),
  rows: Type.Integer({ description: 'Rows (entity key, event time) of the feature group in the window' }),
  null_rate: Num,
  min: Num,
  max: Num,
  mean: Num,
  std: Num,
  quantiles: Type.Record(Type.String(), Num, { description: 'p1, p5, p25, p50, p75, p95, p99 (linear interpolation)' }),
  distinct: Type.Integer(),
  top: Type.Array(TopValue, { description: 'Most frequent values (categorical features)' }),
});
export type FeatureQuality = Static<typeof FeatureQuality>;

export const QualityReport = Type.Object({
  entity: Type.String(),
  start: Type.String(),
  end: Type.String(),
  features: Type.Array(FeatureQuality),
  daily: Type.Array(
    Type.Object({ feature: Type.String(), day: Type.String(), count: Type.Integer(), mean: Num, min: Num, max: Num }),
  ),
});
export type QualityReport = Static<typeof QualityReport>;

/** Quality of one feature column of one ingestion batch (kept per batch). */
export const BatchQuality = Type.Object({
  batch_id: Type.String(),
  entity: Type.String(),
  feature_group: Type.String(),
  ingested_at: Type.String(),
  rows: Type.Integer(),
  features: Type.Array(
    Type.Object({ feature: Type.String(), count: Type.Integer(), nulls: Type.Integer(), null_rate: Num, min: Num, max: Num, mean: Num, std: Num, distinct: Type.Integer() }),
  ),
  rule_violations: Type.Array(Type.Object({ feature: Type.String(), rule: Type.String(), rows: Type.Integer(), action: Type.String() })),
});
export type BatchQuality = Static<typeof BatchQuality>;

export const DriftRequest = Type.Object(
  {
    entity: Type.String({ minLength: 1, maxLength: 63 }),
    features: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 1000 }),
    baseline: TimeWindow,
    current: TimeWindow,
    bins: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'Quantile bins of the baseline for PSI (default 10)' })),
    psi_threshold: Type.Optional(Type.Number({ minimum: 0, description: 'Drifted when PSI is above this (default 0.2)' })),
  },
  { additionalProperties: false },
);
export type DriftRequest = Static<typeof DriftRequest>;

export const HistogramBin = Type.Object({
  label: Type.String(),
  lower: Num,
  upper: Num,
  baseline: Type.Number({ description: 'Share of baseline values in the bin' }),
  current: Type.Number({ description: 'Share of current values in the bin' }),
});
export type HistogramBin = Static<typeof HistogramBin>;

export const FeatureDrift = Type.Object({
  feature: Type.String(),
  kind: Type.Unsafe<'numeric' | 'categorical'>({ type: 'string', enum: ['numeric', 'categorical'] }),
  baseline_count: Type.Integer(),
  current_count: Type.Integer(),
  psi: Num,
  ks: Type.Union([Type.Number(), Type.Null()], { description: 'Numeric: two-sample Kolmogorov-Smirnov statistic on fine quantile bins' }),
  ks_p_value: Num,
  js: Type.Union([Type.Number(), Type.Null()], { description: 'Categorical: Jensen-Shannon divergence (base 2)' }),
  chi2: Num,
  chi2_p_value: Num,
  threshold: Type.Number(),
  drifted: Type.Boolean(),
  bins: Type.Array(HistogramBin),
  note: Type.Optional(Type.String()),
});
export type FeatureDrift = Static<typeof FeatureDrift>;

export const DriftReport = Type.Object({
  entity: Type.String(),
  baseline: TimeWindow,
  current: TimeWindow,
  features: Type.Array(FeatureDrift),
  elapsed_ms: Type.Number(),
});
export type DriftReport = Static<typeof DriftReport>;

export const SkewRequest = Type.Object(
  {
    entity: Type.String({ minLength: 1, maxLength: 63 }),
    features: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 1000 }),
    training: TimeWindow,
    psi_threshold: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type SkewRequest = Static<typeof SkewRequest>;

export const SkewReport = Type.Object({
  entity: Type.String(),
  training: TimeWindow,
  features: Type.Array(FeatureDrift, { description: 'current_count: served values sampled (the last 10,000 per feature since the service started)' }),
});
export type SkewReport = Static<typeof SkewReport>;

// ---- alert rules and alerts ----
export const ALERT_RULE_TYPES = ['drift', 'null_rate', 'freshness', 'latency_p99', 'kafka_lag'] as const;
export type AlertRuleType = (typeof ALERT_RULE_TYPES)[number];

export const WINDOW_ANCHORS = ['now', 'newest_event'] as const;
export type WindowAnchor = (typeof WINDOW_ANCHORS)[number];

export const AlertRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63, description: 'snake_case rule name' }),
    type: Type.Unsafe<AlertRuleType>({ type: 'string', enum: [...ALERT_RULE_TYPES] }),
    entity: Type.Optional(Type.String({ maxLength: 63 })),
    feature_group: Type.Optional(Type.String({ maxLength: 63 })),
    features: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 1000, description: 'drift, null_rate: the features watched (default: all of the group)' })),
    baseline: Type.Optional(TimeWindow),
    window_hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'drift, null_rate: the recent window (default 24)' })),
    window_anchor: Type.Optional(
      Type.Unsafe<WindowAnchor>({
        type: 'string',
        enum: [...WINDOW_ANCHORS],
        description:
          "drift, null_rate: where the recent window ends. 'now' (default): the last window_hours of wall-clock time. " +
          "'newest_event': the window_hours of event time ending with the UTC day of the watched features' newest value, " +
          'so historical data is evaluated over the days it covers (7 x 24 h: the 7 days up to and including that day)',
      }),
    ),
    threshold: Type.Optional(
      Type.Number({ minimum: 0, description: 'drift: PSI (default 0.2); null_rate: share 0..1 (default 0.1); freshness: seconds (default: the group TTL); latency_p99: ms (default 50); kafka_lag: messages (default 10000)' }),
    ),
    route: Type.Optional(Type.String({ maxLength: 200, description: 'latency_p99: the route, e.g. /api/online/features (default: every route)' })),
    webhook_url: Type.Optional(Type.String({ maxLength: 2000, description: 'POSTed a JSON alert when an alert fires or resolves' })),
  },
  { additionalProperties: false },
);
export type AlertRuleInput = Static<typeof AlertRuleInput>;

/**
 * One object, not an intersection: AlertRuleInput refuses unknown fields, so `allOf` with it could
 * match no stored rule (which has created_at and the rest) under a strict JSON Schema validator.
 */
export const AlertRule = Type.Object({
  ...AlertRuleInput.properties,
  created_at: Type.String(),
  created_by: Type.String(),
  last_evaluated_at: Type.Union([Type.String(), Type.Null()]),
});
export type AlertRule = Static<typeof AlertRule>;

export const AlertState = Type.Unsafe<'firing' | 'resolved'>({ type: 'string', enum: ['firing', 'resolved'] });
export const Alert = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  type: Type.String(),
  target: Type.String({ description: 'What breached: a feature, a group, a route, or "kafka"' }),
  state: AlertState,
  value: Num,
  threshold: Type.Number(),
  message: Type.String(),
  fired_at: Type.String(),
  last_seen_at: Type.String(),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
  acknowledged_at: Type.Union([Type.String(), Type.Null()]),
  acknowledged_by: Type.Union([Type.String(), Type.Null()]),
});
export type Alert = Static<typeof Alert>;

export const RuleEvaluation = Type.Object({
  rule: Type.String(),
  target: Type.String(),
  value: Num,
  threshold: Type.Number(),
  breached: Type.Boolean(),
  time: Type.String(),
});
export type RuleEvaluation = Static<typeof RuleEvaluation>;

// ---- operations ----
export const ROUTE_KINDS = ['serving', 'api', 'ui'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

export const OperationsReport = Type.Object({
  latency: Type.Array(
    Type.Object({
      route: Type.String(),
      method: Type.String(),
      kind: Type.Optional(
        Type.Unsafe<RouteKind>({
          type: 'string',
          enum: [...ROUTE_KINDS],
          description:
            "serving: online reads (/api/online/...); api: the rest of /api and the service's own endpoints; ui: the web UI's pages and static files. " +
            'Always set by this version; optional so reports of older services still read',
        }),
      ),
      count: Type.Integer(),
      p50_ms: Num,
      p95_ms: Num,
      p99_ms: Num,
    }),
    { description: 'Since the service started, estimated from the latency histogram buckets' },
  ),
  freshness: Type.Array(
    Type.Object({
      entity: Type.String(),
      feature_group: Type.String(),
      newest_event_time: Type.Union([Type.String(), Type.Null()]),
      age_seconds: Num,
      ttl_seconds: Type.Union([Type.Integer(), Type.Null()]),
      stale: Type.Boolean(),
      coverage: Type.Union([Type.Number(), Type.Null()], {
        description: 'Share of the entity\'s known keys (any value in history) that have a value of this group within its TTL now',
      }),
    }),
  ),
  ingestion: Type.Object({ values_written_total: Type.Integer(), values_per_second_1m: Type.Number() }),
  kafka_lag: Type.Union([Type.Integer(), Type.Null()]),
});
export type OperationsReport = Static<typeof OperationsReport>;

/** GET /api/monitoring/quality/batches: the recent ingestion batches of a group, newest first. */
export const BatchQualityQuery = Type.Object(
  { entity: Type.String({ minLength: 1 }), feature_group: Type.String({ minLength: 1 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);
export type BatchQualityQuery = Static<typeof BatchQualityQuery>;

/** Drift of consecutive `step_hours` windows of [start, end] against one baseline (at most 400 windows). */
export const DriftSeriesRequest = Type.Object(
  {
    entity: Type.String({ minLength: 1, maxLength: 63 }),
    features: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 100 }),
    baseline: TimeWindow,
    start: Type.String(),
    end: Type.String(),
    step_hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Width of each window (default 24)' })),
    psi_threshold: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type DriftSeriesRequest = Static<typeof DriftSeriesRequest>;

/** One window of a drift series: each feature's scores against the baseline. */
export const DriftSeriesPoint = Type.Object({
  start: Type.String(),
  end: Type.String(),
  features: Type.Array(
    Type.Object({ feature: Type.String(), psi: Type.Union([Type.Number(), Type.Null()]), ks: Type.Union([Type.Number(), Type.Null()]), js: Type.Union([Type.Number(), Type.Null()]), count: Type.Integer(), drifted: Type.Boolean() }),
  ),
});
export type DriftSeriesPoint = Static<typeof DriftSeriesPoint>;

/** GET /api/monitoring/alerts: every filter optional; newest first. */
export const ListAlertsQuery = Type.Object(
  { state: Type.Optional(AlertState), rule: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);
export type ListAlertsQuery = Static<typeof ListAlertsQuery>;

/**
 * GET /api/monitoring/: what needs attention now. `stale_groups` holds `entity/feature_group` of the
 * groups whose newest value is older than their TTL.
 */
export const MonitoringOverview = Type.Object({ firing_alerts: Type.Array(Alert), rules: Type.Integer(), stale_groups: Type.Array(Type.String()), endpoints: Type.Array(Type.String()) });
export type MonitoringOverview = Static<typeof MonitoringOverview>;

/** The query of GET /api/monitoring/quality. */
export const QualityQuery = Type.Object(
  {
    entity: Type.String({ minLength: 1 }),
    features: Type.Optional(Type.String({ description: 'Comma-separated feature names (default: feature_group, else every feature of the entity)' })),
    feature_group: Type.Optional(Type.String()),
    start: Type.String(),
    end: Type.String(),
  },
  { additionalProperties: false },
);
export type QualityQuery = Static<typeof QualityQuery>;
