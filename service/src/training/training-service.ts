import type { Selected, TrainingPointInTimeRequest, TrainingRangeRequest } from '@shared/api/serving.js';
import { jsonValueProblem } from '@shared/domain/json-value.js';
import type { Transform } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import { resolveFeatures, type ResolvedFeature } from '../serving/feature-resolver.js';
import { labelRequestProblems, mergeInputs } from '../serving/request-data.js';
import { passthroughNames, type FeatureRef, type OfflineStore, type PointInTimeQuery } from '../storage/offline-store.js';
import { KEY_HAS_NUL } from '../util/entity-keys.js';
import { parseInstant, parseRangeEnd } from '../util/time.js';
import type { LabelSet } from './label-set.js';
import type { OnDemandTraining } from './on-demand-training.js';
import type { PointInTimeRunOptions, SparkPointInTime } from './spark-point-in-time.js';

/** A training set in column order, produced lazily so large results stream. */
export interface TrainingResult {
  entity: string;
  features: ResolvedFeature[];
  /** Output columns: leading columns (key, time, labels) then one per feature (requested names). */
  columns: string[];
  /** Pass-through label columns (point-in-time form only). */
  labelColumns: string[];
  /** Rows as arrays matching `columns`; feature cells are JSON text or null. */
  rows: AsyncIterable<unknown[][]>;
}

const MAX_ROW_ERRORS = 100;

/** Training retrieval: range form and point-in-time form over the offline store. */
export class TrainingService {
  constructor(
    private readonly registry: RegistryService,
    private readonly offline: OfflineStore,
    /** Point-in-time joins on Spark (engine 'spark'); null when Spark is not configured. */
    private readonly spark: SparkPointInTime | null = null,
    /** On-demand features with request inputs, computed per label row; absent: they join as stored. */
    private readonly onDemand?: OnDemandTraining,
  ) {}

  /** Whether the features include on-demand ones with request inputs (label rows must pass through JavaScript). */
  async needsLabelRows(request: { entity: string; feature_list: string[] }): Promise<boolean> {
    if (!this.onDemand) return false;
    return (await this.onDemand.transformsOf(await resolveFeatures(this.registry, request.entity, request.feature_list))).size > 0;
  }

  async range(request: Selected<TrainingRangeRequest>): Promise<TrainingResult> {
    const start = parseInstant(request.start_date);
    const end = parseRangeEnd(request.end_date);
    const problems: { path: string; message: string }[] = [];
    if (start === undefined) problems.push({ path: '/start_date', message: `start_date '${request.start_date}' is not a date (YYYY-MM-DD) or ISO-8601 timestamp` });
    if (end === undefined) problems.push({ path: '/end_date', message: `end_date '${request.end_date}' is not a date (YYYY-MM-DD) or ISO-8601 timestamp` });
    if (start !== undefined && end !== undefined && end < start) problems.push({ path: '/end_date', message: 'end_date is before start_date' });
    if (problems.length > 0) throw new AppError('FSTORE_VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
    const features = await resolveFeatures(this.registry, request.entity, request.feature_list);
    await this.refuseRequestInputs(features);
    const refs = toRefs(features);
    const offline = this.offline;
    return {
      entity: request.entity,
      features,
      columns: ['entity_key', 'event_timestamp', ...features.map((f) => f.requested)],
      labelColumns: [],
      rows: (async function* () {
        if (refs.length === 0) return;
        for await (const chunk of offline.range({ entity: request.entity, features: refs.map((r) => r.ref), start: start!, end: end! })) {
          yield chunk.map((row) => [row[0], row[1], ...spread(row.slice(2) as (string | null)[], refs, features.length)]);
        }
      })(),
    };
  }

  /**
   * A range has no requests, so on-demand features that read request inputs have nothing to be
   * computed from (they are never stored): refused, pointing at the form that carries the inputs,
   * rather than answered as empty columns.
   */
  private async refuseRequestInputs(features: readonly ResolvedFeature[]): Promise<void> {
    const transforms = this.onDemand ? await this.onDemand.transformsOf(features) : new Map<string, Transform>();
    if (transforms.size === 0) return;
    const problems = [...transforms].map(([group, transform]) => {
      const names = features.filter((f) => f.group?.name === group).map((f) => `'${f.requested}'`);
      const inputs = (transform.request_inputs ?? []).map((i) => i.name).join(', ');
      return { path: '/feature_list', message: `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} computed at request time by the on-demand transform '${transform.name}' from request inputs (${inputs})` };
    });
    throw new AppError(
      'FSTORE_VALIDATION_FAILED',
      `${problems.map((p) => p.message).join('; ')}, which a date range does not have: ask for them with label rows carrying those columns (POST /api/training/point-in-time, or a training-set job)`,
      problems,
    );
  }

  /** Fails as pointInTime would for the request's features and engine, before any label is read. */
  async check(request: { entity: string; feature_list: string[]; engine?: 'embedded' | 'spark' | undefined }): Promise<ResolvedFeature[]> {
    this.checkEngine(request.engine);
    return resolveFeatures(this.registry, request.entity, request.feature_list);
  }

  /**
   * The on-demand features with request inputs, per label row (undefined when none is requested).
   * Every label row's inputs are checked first: a bad one is a 400 and nothing is computed.
   */
  private async computeOnDemand(
    features: ResolvedFeature[],
    keys: string[],
    times: number[],
    rows: Record<string, unknown>[],
  ): Promise<{ groups: Set<string>; values: Map<string, Map<string, string | null>[]> } | undefined> {
    const transforms = this.onDemand ? await this.onDemand.transformsOf(features) : new Map<string, Transform>();
    if (transforms.size === 0) return undefined;
    const errors = labelRequestProblems(mergeInputs([...transforms.values()]), rows);
    if (errors.length > 0) {
      const first = errors[0]!;
      const total = errors.length >= 100 ? 'At least 100' : String(errors.length);
      throw new AppError('FSTORE_VALIDATION_FAILED', `${total} label row problems; first: row ${first.row}: ${first.message}`, { errors });
    }
    const values = new Map<string, Map<string, string | null>[]>();
    for (const [group, transform] of transforms) values.set(group, await this.onDemand!.compute(transform, keys, times, rows));
    return { groups: new Set(transforms.keys()), values };
  }

  private checkEngine(engine: 'embedded' | 'spark' | undefined): void {
    if (engine === 'spark' && !this.spark) {
      throw new AppError('FSTORE_SPARK_UNAVAILABLE', 'Spark is not configured on this server; set sparkMaster (FSTORE_SPARK_MASTER), see docs/spark.md');
    }
  }

  /**
   * Point-in-time rows for a staged label set (label-set.ts), joined and written to `output` by the
   * offline store's engine. Returns the resolved features and the output columns. The key and time
   * columns are named `entity_key` and `timestamp` unless `names` gives the label file's own.
   */
  async pointInTimeToFile(
    request: { entity: string; feature_list: string[] },
    labels: LabelSet,
    output: { path: string; format: 'parquet' | 'csv' },
    names: { key: string; time: string } = { key: 'entity_key', time: 'timestamp' },
  ): Promise<{ features: ResolvedFeature[]; columns: string[]; rows: number }> {
    const features = await resolveFeatures(this.registry, request.entity, request.feature_list);
    if (this.onDemand && (await this.onDemand.transformsOf(features)).size > 0) {
      // training-set-jobs.ts reads such label files into rows for pointInTime; this is a guard.
      throw new AppError('FSTORE_VALIDATION_FAILED', 'On-demand features with request inputs are computed from label rows; use the point-in-time form');
    }
    const clash = labels.labelColumns.filter((c) => features.some((f) => f.requested === c));
    if (clash.length > 0) {
      throw new AppError('FSTORE_VALIDATION_FAILED', `Label columns ${clash.map((c) => `'${c}'`).join(', ')} have the same name as requested features`);
    }
    const passthrough = [{ column: 'entity_key', as: names.key }, { column: 'timestamp', as: names.time }, ...labels.labelColumns];
    const rows = await this.offline.pointInTimeToFile({
      entity: request.entity,
      // A feature without a group has no history: its column is all NULL.
      features: features.map((f) => ({ name: f.name, group: f.group?.name ?? '', ttlSeconds: f.group?.ttl_seconds ?? null, column: f.requested, valueType: f.valueType })),
      labels: { path: labels.path, passthrough },
      output,
    });
    return { features, columns: [...passthrough.map((p) => passthroughNames(p).as), ...features.map((f) => f.requested)], rows };
  }

  async pointInTime(request: Omit<Selected<TrainingPointInTimeRequest>, 'format'>, options: PointInTimeRunOptions = {}): Promise<TrainingResult> {
    const spark = this.spark;
    this.checkEngine(request.engine);
    const join = (query: PointInTimeQuery) => (request.engine === 'spark' ? spark!.pointInTime(query, options) : this.offline.pointInTime(query));
    const keys: string[] = [];
    const times: number[] = [];
    const errors: { row: number; column: string; message: string }[] = [];
    let errorCount = 0;
    request.rows.forEach((row, i) => {
      const key = row.entity_key;
      const time = typeof row.timestamp === 'string' ? parseInstant(row.timestamp) : undefined;
      // PostgreSQL cannot even search for a key with U+0000 (no store keeps one): say so, not a 500.
      const missing = (typeof key !== 'string' || key.trim() === '') && typeof key !== 'number';
      const keyProblem = missing ? 'entity_key is missing' : String(key).includes('\u0000') ? KEY_HAS_NUL : undefined;
      if (keyProblem) {
        errorCount++;
        if (errors.length < MAX_ROW_ERRORS) errors.push({ row: i + 1, column: 'entity_key', message: keyProblem });
      }
      if (time === undefined) {
        errorCount++;
        if (errors.length < MAX_ROW_ERRORS) {
          errors.push({ row: i + 1, column: 'timestamp', message: `timestamp '${String(row.timestamp)}' is not a date or ISO-8601 timestamp` });
        }
      }
      // Label columns are echoed into the result: serialising one nested too deeply overflows the
      // stack, and the engines refuse text that is not Unicode.
      for (const column of Object.keys(row)) {
        const problem = jsonValueProblem(column) ?? jsonValueProblem(row[column]);
        if (!problem) continue;
        errorCount++;
        if (errors.length < MAX_ROW_ERRORS) errors.push({ row: i + 1, column, message: `column '${column}': ${problem}` });
      }
      keys.push(String(key).trim());
      times.push(time ?? 0);
    });
    if (errorCount > 0) {
      const first = errors[0]!;
      throw new AppError('FSTORE_VALIDATION_FAILED', `${errorCount} label row problems; first: row ${first.row}: ${first.message}`, { errors });
    }
    const features = await resolveFeatures(this.registry, request.entity, request.feature_list);
    const labelColumns = [...new Set(request.rows.flatMap((r) => Object.keys(r)))].filter(
      (c) => c !== 'entity_key' && c !== 'timestamp',
    );
    const clash = labelColumns.filter((c) => features.some((f) => f.requested === c));
    if (clash.length > 0) {
      throw new AppError('FSTORE_VALIDATION_FAILED', `Label columns ${clash.map((c) => `'${c}'`).join(', ')} have the same name as requested features`);
    }
    const computed = await this.computeOnDemand(features, keys, times, request.rows);
    const refs = toRefs(features).filter((r) => !computed?.groups.has(r.ref.group));
    const fill = (values: (string | null)[], i: number) => {
      if (!computed) return values;
      features.forEach((f, p) => {
        if (f.group && computed.groups.has(f.group.name)) values[p] = computed.values.get(f.group.name)![i]!.get(f.name) ?? null;
      });
      return values;
    };
    return {
      entity: request.entity,
      features,
      columns: ['entity_key', 'timestamp', ...labelColumns, ...features.map((f) => f.requested)],
      labelColumns,
      rows: (async function* () {
        let index = 0;
        const labelsOf = (i: number) => {
          const row = request.rows[i]!;
          return [keys[i], row.timestamp, ...labelColumns.map((c) => row[c] ?? null)];
        };
        if (refs.length === 0) {
          yield request.rows.map((_, i) => [...labelsOf(i), ...fill(features.map(() => null), i)]);
          return;
        }
        for await (const chunk of join({ entity: request.entity, features: refs.map((r) => r.ref), entityKeys: keys, times })) {
          yield chunk.map((values) => {
            const i = index++;
            return [...labelsOf(i), ...fill(spread(values, refs, features.length), i)];
          });
        }
      })(),
    };
  }
}

/** Features that have a group (and so can have history), with their position in the output. */
function toRefs(features: ResolvedFeature[]): { position: number; ref: FeatureRef }[] {
  return features.flatMap((f, position) =>
    f.group ? [{ position, ref: { name: f.name, group: f.group.name, ttlSeconds: f.group.ttl_seconds } }] : [],
  );
}

/** Places the store's values (one per ref) at their feature positions; unassigned features stay null. */
function spread(values: (string | null)[], refs: { position: number }[], width: number): (string | null)[] {
  const out: (string | null)[] = new Array(width).fill(null);
  refs.forEach((r, i) => (out[r.position] = values[i] ?? null));
  return out;
}
