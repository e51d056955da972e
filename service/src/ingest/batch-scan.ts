/**
 * One pass over a staged batch before anything is written: how many rows break a check, each
 * feature's statistics (count, min, max, mean, std, approximate distinct values), the rows breaking
 * `warn` rules, the newest event time and the rows repeating another's (entity key, event time).
 * Each was its own scan of the staged rows; together they cost little more than the widest one.
 */
import type { BatchQuality } from '@shared/api/monitoring.js';
import { meanAndStd, withOverflowFallback } from '../storage/overflow-safe-stats.js';
import type { ColumnPlan, IngestPlan } from './column-plan.js';
import { anyBroken, rowChecks, ruleChecks } from './row-validation.js';
import type { StagedTable } from '../staging/staging-engine.js';
import { quoteIdent, timestampExpr, typedExpr } from '../staging/typed-sql.js';

/**
 * Up to this many features, their statistics are aggregates in the scan's own select list; beyond,
 * one aggregate set over the batch unpivoted to a row per value, in a query of its own (a select
 * list repeating thousands of typed expressions took seconds to plan for 1,000 columns).
 */
const INLINE_STATS_FEATURES = 64;

export interface BatchStats {
  features: BatchQuality['features'];
  violations: { feature: string; rule: string; reason: string; rows: number; firstRows: number[] }[];
  newestEventMs: number | null;
}

export interface BatchScan {
  /** Rows breaking a check of row-validation; when > 0 the batch is rejected and the rest is moot. */
  invalidRows: number;
  /** Rows whose (entity key, event time) another row of the batch repeats, counted once per extra row. */
  repeatedRows: number;
  /** The oldest event time (ms; the ingestion time for rows without one), null for no rows. */
  oldestEventMs: number | null;
  stats: BatchStats;
}

/** Per-feature statistics as read from the engine. */
interface FeatureFigures {
  count: number;
  min: unknown;
  max: unknown;
  mean: unknown;
  std: unknown;
  distinct: number;
}

/** Scans the staged batch once (twice for very wide batches). `ingestedAt` stamps rows without an event time. */
export async function scanBatch(plan: IngestPlan, staged: StagedTable, ingestedAt: number): Promise<BatchScan> {
  const warnRules = plan.features.flatMap((f) => (f.rules?.action === 'warn' ? ruleChecks(f).map((r) => ({ ...r, feature: f.feature })) : []));
  const inline = plan.features.length <= INLINE_STATS_FEATURES;
  const time = plan.timeColumn ? `epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)})` : null;
  const key = `trim(CAST(${quoteIdent(plan.keyColumn.name)} AS VARCHAR))`;
  const row = await withOverflowFallback(async (scaled) => {
    const items = [
      `CAST(count(*) FILTER (WHERE ${anyBroken(rowChecks(plan))}) AS DOUBLE) AS invalid_rows`,
      // The store keeps one value per key, feature and event time (the later row's). Without an
      // event time every row gets the ingestion time, so repeated keys alone count.
      `CAST(count(*) - count(DISTINCT (${key}, ${time ?? '0'})) AS DOUBLE) AS repeated_rows`,
      `CAST(${time ? `max(${time})` : Math.trunc(ingestedAt)} AS DOUBLE) AS newest`,
      `CAST(${time ? `min(${time})` : Math.trunc(ingestedAt)} AS DOUBLE) AS oldest`,
      ...warnRules.map((r, i) => `CAST(count(*) FILTER (WHERE ${r.condition}) AS DOUBLE) AS warn_${i}`),
      ...(inline ? plan.features.flatMap((f, i) => inlineStats(f, i, scaled)) : []),
    ];
    return (await staged.connection.runAndReadAll(`SELECT ${items.join(', ')} FROM src`)).getRowObjectsJS()[0] ?? {};
  });
  const figures = inline ? plan.features.map((_, i) => figuresOf(row, i)) : await unpivotedStats(plan, staged);

  const total = staged.rowCount;
  const features = plan.features.map((f, i) => {
    const r = figures[i];
    const count = r?.count ?? 0;
    return {
      feature: f.feature,
      count,
      nulls: total - count,
      null_rate: total > 0 ? (total - count) / total : null,
      min: finiteOrNull(r?.min),
      max: finiteOrNull(r?.max),
      mean: finiteOrNull(r?.mean),
      std: finiteOrNull(r?.std),
      distinct: r?.distinct ?? 0,
    };
  });
  const invalidRows = Number(row['invalid_rows'] ?? 0);
  const violations: BatchStats['violations'] = [];
  if (invalidRows === 0) {
    for (const [i, r] of warnRules.entries()) {
      const rows = Number(row[`warn_${i}`] ?? 0);
      if (rows === 0) continue;
      const first = (await staged.connection.runAndReadAll(`SELECT CAST(rowid AS DOUBLE) + 1 FROM src WHERE ${r.condition} ORDER BY rowid LIMIT 5`)).getRowsJS();
      violations.push({ feature: r.feature, rule: r.rule, reason: r.reason, rows, firstRows: first.map((x) => Number(x[0])) });
    }
  }
  return {
    invalidRows,
    repeatedRows: Number(row['repeated_rows'] ?? 0),
    oldestEventMs: finiteOrNull(row['oldest']),
    stats: { features, violations, newestEventMs: finiteOrNull(row['newest']) },
  };
}

const isNumeric = (f: ColumnPlan) => f.valueType === 'INT' || f.valueType === 'FLOAT';

/** Numbers are measured as DOUBLE, other values by their text (distinct texts = distinct values). */
function statsValue(f: ColumnPlan): string {
  return `CAST(${typedExpr(quoteIdent(f.column.name), f.column.kind, f.valueType)} AS ${isNumeric(f) ? 'DOUBLE' : 'VARCHAR'})`;
}

function inlineStats(f: ColumnPlan, i: number, scaled: boolean): string[] {
  const v = statsValue(f);
  const items = [`CAST(count(${v}) AS DOUBLE) AS count_${i}`, `CAST(approx_count_distinct(${v}) AS DOUBLE) AS distinct_${i}`];
  if (isNumeric(f)) {
    const [mean, std] = meanAndStd(v, scaled);
    items.push(`min(${v}) AS min_${i}`, `max(${v}) AS max_${i}`, `${mean} AS mean_${i}`, `${std} AS std_${i}`);
  }
  return items;
}

function figuresOf(row: Record<string, unknown>, i: number): FeatureFigures {
  return {
    count: Number(row[`count_${i}`] ?? 0),
    min: row[`min_${i}`],
    max: row[`max_${i}`],
    mean: row[`mean_${i}`],
    std: row[`std_${i}`],
    distinct: Number(row[`distinct_${i}`] ?? 0),
  };
}

/**
 * Statistics of a wide batch, by plan index: the batch unpivoted to one row per value, one
 * aggregate set grouped by feature, each typed expression written once.
 */
async function unpivotedStats(plan: IngestPlan, staged: StagedTable): Promise<(FeatureFigures | undefined)[]> {
  const out: (FeatureFigures | undefined)[] = plan.features.map(() => undefined);
  const indexed = plan.features.map((f, i) => ({ f, i }));
  for (const members of [indexed.filter(({ f }) => isNumeric(f)), indexed.filter(({ f }) => !isNumeric(f))]) {
    if (members.length === 0) continue;
    const numeric = isNumeric(members[0]!.f);
    const values = members.map(({ f, i }) => `${statsValue(f)} AS "${i}"`);
    const rows = await withOverflowFallback(async (scaled) => {
      const [mean, std] = meanAndStd('v', scaled);
      const figures = numeric ? `min(v) AS min, max(v) AS max, ${mean} AS mean, ${std} AS std` : 'NULL AS min, NULL AS max, NULL AS mean, NULL AS std';
      return (
        await staged.connection.runAndReadAll(
          `SELECT CAST(col AS INTEGER) AS feature_index, CAST(count(v) AS DOUBLE) AS count, ${figures}, CAST(approx_count_distinct(v) AS DOUBLE) AS distinct_values
           FROM (UNPIVOT (SELECT ${values.join(', ')} FROM src) ON ${members.map(({ i }) => `"${i}"`).join(', ')} INTO NAME col VALUE v) GROUP BY col`,
        )
      ).getRowObjectsJS();
    });
    for (const r of rows) {
      out[Number(r['feature_index'])] = { count: Number(r['count']), min: r['min'], max: r['max'], mean: r['mean'], std: r['std'], distinct: Number(r['distinct_values']) };
    }
  }
  return out;
}

/** The batch's quality record for monitoring. */
export function toBatchQuality(batchId: string, entity: string, group: string, ingestedAt: number, rows: number, stats: BatchStats): BatchQuality {
  return {
    batch_id: batchId,
    entity,
    feature_group: group,
    ingested_at: new Date(ingestedAt).toISOString(),
    rows,
    features: stats.features,
    rule_violations: stats.violations.map((v) => ({ feature: v.feature, rule: v.rule, rows: v.rows, action: 'warn' })),
  };
}

function finiteOrNull(v: unknown): number | null {
  return v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);
}
