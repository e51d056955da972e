import type { BatchQuality } from '../../../shared/api/monitoring.js';
import type { IngestPreview, IngestReport } from '../../../shared/api/serving.js';
import { describeRule, type RuleName, type ValidationRules } from '../../../shared/domain/validation-rules.js';
import { explainInvalidName } from '../../../shared/domain/names.js';
import type { Entity, Feature, FeatureGroup } from '../../../shared/domain/schemas.js';
import { defaultFeatureType, type ValueType } from '../../../shared/domain/value-types.js';
import type { RowError } from '../../../shared/errors.js';
import { AppError } from '../errors/app-error.js';
import { matchFeatureName } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineBatch, OfflineStore } from '../storage/offline-store.js';
import type { OnlineRow, OnlineStore } from '../storage/online-store.js';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataFormat } from './data-format.js';
import type { StagedColumn, StagedTable, StagingEngine } from './staging-engine.js';
import { KEY_HAS_NUL, KEY_TOO_LONG, MAX_ENTITY_KEY_BYTES, MAX_ENTITY_KEY_CHARS } from '../util/entity-keys.js';
import { TEXT_HAS_NUL } from '../../../shared/domain/value-coercion.js';
import { meanAndStd, withOverflowFallback } from '../storage/overflow-safe-stats.js';
import { expectation, jsonExpr, quoteIdent, quoteLiteral, timestampExpr, typedExpr } from './typed-sql.js';

const MAX_REPORTED_ERRORS = 100;
const PREVIEW_ROWS = 20;
/** Rows per chunk moved from staging to the stores: bounds memory for files of any size. */
const CHUNK_ROWS = 50_000;

/** Limits on what one batch may ask of the service (maxBatchColumns, maxGroupFeatures). */
export interface IngestLimits {
  maxBatchColumns: number;
  maxGroupFeatures: number;
}

const NO_LIMITS: IngestLimits = { maxBatchColumns: Number.POSITIVE_INFINITY, maxGroupFeatures: Number.POSITIVE_INFINITY };

export interface IngestProgress {
  phase: 'reading' | 'validating' | 'registering' | 'writing offline' | 'writing online';
  rowsDone: number;
  rowsTotal: number | null;
}

/** Which columns hold the entity key and event time, when the conventions are not what the user wants. */
export interface ColumnChoice {
  keyColumn?: string | undefined;
  /** A column name, or null to stamp values with the ingestion time. Undefined: conventions. */
  timeColumn?: string | null | undefined;
  /** Change an existing feature's value type (a new version) when its column no longer fits it. */
  evolveSchema?: boolean | undefined;
}

export interface IngestOptions extends ColumnChoice {
  /** Change an existing feature's value type (a new version) when its column no longer fits it. */
  evolveSchema?: boolean;
  onProgress?: (progress: IngestProgress) => void;
  /** Cancels before the offline commit (nothing is written); after it, the run completes. */
  signal?: AbortSignal;
  /** Write the offline history only (on-demand groups compute their online values at request time). */
  offlineOnly?: boolean;
  /** Names the batch in monitoring (the job id); random when absent. */
  batchId?: string;
}

/** Told about every batch written, for monitoring (quality per batch, freshness, write rates). */
export interface IngestObserver {
  onBatch(quality: BatchQuality): void;
  onWrite(entity: string, group: string, values: number, newestEventMs: number | null): void;
}

interface BatchStats {
  features: BatchQuality['features'];
  violations: { feature: string; rule: string; reason: string; rows: number; firstRows: number[] }[];
  newestEventMs: number | null;
}
const TIME_COLUMNS = ['event_timestamp', 'timestamp'];

interface ColumnPlan {
  column: StagedColumn;
  feature: string;
  valueType: ValueType;
  /** What must happen in the registry before the values are written. */
  registration: 'existing' | 'new' | 'assign';
  /** With evolveSchema: the feature's new value type, applied as a new version before writing. */
  retypeFrom?: ValueType;
  /** The feature's validation rules (existing features only). */
  rules?: ValidationRules | null | undefined;
}

interface IngestPlan {
  entity: string;
  entityDoc: Entity | undefined;
  group: string;
  groupDoc: FeatureGroup | undefined;
  keyColumn: StagedColumn;
  timeColumn: StagedColumn | undefined;
  features: ColumnPlan[];
  warnings: string[];
}

/**
 * Batch ingestion: stage, plan columns against the registry, validate every row, then register new
 * features and write. Validation happens before any write, so a rejected batch writes nothing.
 */
export class IngestService {
  /** Set by the app to feed monitoring; ingestion works without it. */
  observer: IngestObserver | undefined;

  constructor(
    private readonly registry: RegistryService,
    private readonly staging: StagingEngine,
    private readonly offline: OfflineStore,
    private readonly online: OnlineStore,
    private readonly limits: IngestLimits = NO_LIMITS,
  ) {}

  async ingestFile(
    entity: string,
    group: string,
    path: string,
    format: DataFormat,
    actor: string,
    options: IngestOptions = {},
  ): Promise<IngestReport> {
    const started = performance.now();
    const progress = options.onProgress ?? (() => undefined);
    const checkCancelled = () => {
      if (options.signal?.aborted) throw new AppError('FSTORE_CANCELLED', 'The ingestion was cancelled; no values were written (features registered for it stay defined)');
    };
    assertValidName('entity', entity);
    assertValidName('feature_group', group);
    progress({ phase: 'reading', rowsDone: 0, rowsTotal: null });
    const staged = await this.staging.stage(path, format);
    try {
      const total = staged.rowCount;
      if (total === 0) reject(`The ${format.toUpperCase()} data has no rows`);
      const tooWide = this.explainTooWide(staged);
      if (tooWide) throw new AppError('FSTORE_LIMIT_EXCEEDED', tooWide, { limit: 'maxBatchColumns', value: this.limits.maxBatchColumns, columns: staged.columns.length });
      progress({ phase: 'validating', rowsDone: 0, rowsTotal: total });
      const plan = await this.plan(entity, group, staged, options);
      await this.registry.assertGroupHasRoom(group, plan.features.filter((f) => f.registration !== 'existing').length);
      await this.validate(plan, staged);
      const stats = await this.batchStats(plan, staged, Date.now());
      const repeatedRows = await this.countRepeatedKeyTimes(plan, staged);
      for (const v of stats.violations) {
        plan.warnings.push(`${v.rows} rows of '${v.feature}' are ${v.reason} (validation rule, action warn); first rows: ${v.firstRows.join(', ')}`);
      }
      checkCancelled();
      progress({ phase: 'registering', rowsDone: 0, rowsTotal: total });
      const groupDoc = await this.register(plan, actor);
      const ingestedAt = Date.now();

      const writer = await this.offline.beginWrite(entity, group, ingestedAt);
      let written: number;
      // The typed rows go from the staging engine to the store as a Parquet file: no row passes
      // through JS. The store may read the file in place, so it stays until the write ends.
      let file: string | undefined;
      try {
        progress({ phase: 'writing offline', rowsDone: 0, rowsTotal: total });
        file = await this.exportTypedRows(plan, staged, ingestedAt);
        checkCancelled();
        await writer.appendParquet(
          file,
          plan.features.map((f) => ({ feature: f.feature, valueType: f.valueType })),
          (rows) => progress({ phase: 'writing offline', rowsDone: Math.min(rows, total), rowsTotal: total }),
        );
        progress({ phase: 'writing offline', rowsDone: total, rowsTotal: total });
        checkCancelled();
        written = await writer.commit();
      } catch (err) {
        await writer.abort();
        throw err;
      } finally {
        if (file) await rm(file, { force: true });
      }

      const batchId = options.batchId ?? randomUUID();
      this.observer?.onBatch(toBatchQuality(batchId, entity, group, ingestedAt, total, stats));
      this.observer?.onWrite(entity, group, written, stats.newestEventMs);

      let onlineWritten = 0;
      if (groupDoc.online && !options.offlineOnly) {
        let done = 0;
        const dense = stats.features.every((f) => f.count === total);
        const chunks = this.newestPerKeyFromStaging(plan, staged, ingestedAt, dense)[Symbol.asyncIterator]();
        // The next chunk is fetched while the store writes this one: DuckDB works on its own
        // threads during a synchronous LMDB transaction or a Redis round trip.
        let next = chunks.next();
        try {
          for (let current = await next; !current.done; current = await next) {
            next = chunks.next();
            onlineWritten += await this.online.write({ entity, group, ttlSeconds: groupDoc.ttl_seconds }, current.value);
            done += current.value.length;
            progress({ phase: 'writing online', rowsDone: done, rowsTotal: null });
          }
        } finally {
          // A failed write leaves a fetch in flight: let it settle before the staged table closes.
          await next.catch(() => undefined);
          await chunks.return?.();
        }
      }
      return {
        entity,
        feature_group: group,
        rows: total,
        values_written: written,
        empty_values: stats.features.reduce((sum, f) => sum + f.nulls, 0),
        repeated_rows: repeatedRows,
        online_values_written: onlineWritten,
        entity_key_column: plan.keyColumn.name,
        event_time_column: plan.timeColumn?.name ?? null,
        features: plan.features.map((f) => f.feature),
        registered_features: plan.features
          .filter((f) => f.registration === 'new')
          .map((f) => ({ name: f.feature, value_type: f.valueType })),
        warnings: plan.warnings,
        elapsed_ms: Math.round(performance.now() - started),
      };
    } finally {
      staged.close();
    }
  }

  /**
   * A dry run: what ingesting this file into (entity, group) would do — columns, first rows, the
   * column plan, problems and invalid rows — without writing anything.
   */
  async preview(path: string, format: DataFormat, target: { entity?: string; group?: string } & ColumnChoice): Promise<IngestPreview> {
    const staged = await this.staging.stage(path, format);
    try {
      const sampleReader = await staged.connection.runAndReadAll(`SELECT * FROM src ORDER BY rowid LIMIT ${PREVIEW_ROWS}`);
      const base = {
        rows: staged.rowCount,
        columns: staged.columns.map((c) => ({ name: c.name, source_type: c.detectedType })),
        sample: sampleReader.getRowObjectsJson() as Record<string, unknown>[],
        time_candidates: staged.columns
          .filter((c) => c.kind === 'temporal' || /time|date|_at$|_ts$/i.test(c.name))
          .map((c) => c.name),
      };
      const tooWide = this.explainTooWide(staged);
      if (tooWide) return { ...base, plan: null, problems: [tooWide], validation: null };
      if (staged.rowCount === 0) return { ...base, plan: null, problems: ['The file has column names but no rows of data'], validation: null };
      if (!target.entity || !target.group) return { ...base, plan: null, problems: [], validation: null };
      for (const [kind, name] of [['entity', target.entity], ['feature_group', target.group]] as const) {
        const invalid = explainInvalidName(kind, name);
        if (invalid) return { ...base, plan: null, problems: [invalid], validation: null };
      }
      const { plan, problems, keyCandidates } = await this.planOrExplain(target.entity, target.group, staged, target, 'dry run');
      if (plan) {
        const adding = plan.features.filter((f) => f.registration !== 'existing').length;
        await this.registry.assertGroupHasRoom(plan.group, adding).catch((err: unknown) => {
          if (err instanceof AppError) problems.push(err.message);
          else throw err;
        });
      }
      const validation = plan ? await this.findInvalidRows(plan, staged) : null;
      return {
        ...base,
        plan: plan
          ? {
              entity: plan.entity,
              entity_exists: plan.entityDoc !== undefined,
              feature_group: plan.group,
              group_exists: plan.groupDoc !== undefined,
              entity_key_column: plan.keyColumn.name,
              event_time_column: plan.timeColumn?.name ?? null,
              key_candidates: [...new Set([...keyCandidates.filter((k) => staged.column(k)), ...staged.columns.filter((c) => /(^|_)(id|key)$/i.test(c.name)).map((c) => c.name)])],
              time_candidates: base.time_candidates,
              features: plan.features.map((f) => ({ column: f.column.name, feature: f.feature, value_type: f.valueType, registration: f.registration })),
              warnings: plan.warnings,
            }
          : null,
        problems,
        validation: validation ? { invalid_rows: validation.invalidRows, errors: validation.errors } : null,
      };
    } finally {
      staged.close();
    }
  }

  /** Why the staged data has too many columns for one batch, or undefined. */
  private explainTooWide(staged: StagedTable): string | undefined {
    const n = staged.columns.length;
    if (n <= this.limits.maxBatchColumns) return undefined;
    return `The data has ${n} columns; a batch may have at most ${this.limits.maxBatchColumns} (maxBatchColumns). Split the columns into several feature groups or batches`;
  }

  /** Plans and throws on problems (ingestion). */
  private async plan(entity: string, group: string, staged: StagedTable, choice: ColumnChoice = {}): Promise<IngestPlan> {
    const { plan, problems } = await this.planOrExplain(entity, group, staged, choice);
    if (problems.length > 0 || !plan) {
      throw new AppError('FSTORE_INGEST_REJECTED', `The batch was rejected: ${problems.join('; ')}`, { columns: problems });
    }
    return plan;
  }

  /** Plans the columns against the registry, collecting every problem instead of stopping at one. */
  private async planOrExplain(
    entity: string,
    group: string,
    staged: StagedTable,
    choice: ColumnChoice,
    /** A dry run's warnings speak of what will happen, an ingestion's of what happened. */
    mode: 'dry run' | 'ingestion' = 'ingestion',
  ): Promise<{ plan: IngestPlan | undefined; problems: string[]; keyCandidates: string[] }> {
    const warnings: string[] = [];
    const entityDoc = await this.registry.find('entity', entity);
    if (entityDoc?.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Entity '${entity}' is archived`);
    const groupDoc = await this.registry.find('feature_group', group);
    if (groupDoc) {
      if (groupDoc.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Feature group '${group}' is archived`);
    }
    const groupOfOtherEntity = groupDoc && groupDoc.entity !== entity
      ? `Feature group '${group}' belongs to entity '${groupDoc.entity}', not '${entity}'`
      : undefined;

    const problems: string[] = groupOfOtherEntity ? [groupOfOtherEntity] : [];
    const keyCandidates = [...new Set([entityDoc?.join_key ?? `${entity}_id`, 'entity_key', `${entity}_id`, 'id'])];
    let keyColumn: StagedColumn | undefined;
    if (choice.keyColumn !== undefined) {
      keyColumn = staged.column(choice.keyColumn);
      if (!keyColumn) problems.push(`the chosen entity key column '${choice.keyColumn}' is not in the data`);
    } else {
      keyColumn = keyCandidates.map((n) => staged.column(n)).find((c) => c !== undefined);
      if (!keyColumn) {
        problems.push(
          `No entity key column: expected one of ${keyCandidates.map((n) => `'${n}'`).join(', ')}; ` +
            `found ${staged.columns.map((c) => `'${c.name}'`).join(', ')}`,
        );
      }
    }
    let timeColumn: StagedColumn | undefined;
    if (choice.timeColumn === null) {
      warnings.push('Values are stamped with the ingestion time (no event time column chosen)');
    } else if (choice.timeColumn !== undefined) {
      timeColumn = staged.column(choice.timeColumn);
      if (!timeColumn) problems.push(`the chosen event time column '${choice.timeColumn}' is not in the data`);
      else if (timeColumn === keyColumn) problems.push('the entity key and the event time cannot be the same column');
    } else {
      timeColumn = TIME_COLUMNS.map((n) => staged.column(n)).find((c) => c !== undefined);
      if (!timeColumn) warnings.push(`No event time column (${TIME_COLUMNS.join(' or ')}); values are stamped with the ingestion time`);
    }

    const features = await this.registry.list('feature', true);
    const byName = new Map(features.map((f) => [f.name, f]));
    const plans: ColumnPlan[] = [];
    const newColumns: { column: StagedColumn; feature: string }[] = [];
    for (const column of staged.columns) {
      if (column === keyColumn || column === timeColumn) continue;
      const invalid = explainInvalidName('feature', column.name);
      if (invalid) {
        problems.push(`column '${column.name}' ${invalid.replace(/^Feature name '[^']*' /, '')}`);
        continue;
      }
      const resolved = resolveColumn(column.name, entity, group, byName);
      if (typeof resolved === 'string') {
        problems.push(`column '${column.name}': ${resolved}`);
        continue;
      }
      if ('newFeature' in resolved) {
        if (resolved.newFeature !== column.name) {
          const owner = byName.get(column.name)!.entity;
          warnings.push(`Column '${column.name}' becomes new feature '${resolved.newFeature}': feature '${column.name}' belongs to entity '${owner}'`);
        }
        newColumns.push({ column, feature: resolved.newFeature });
        continue;
      }
      if (resolved.name !== column.name) {
        warnings.push(`Column '${column.name}' ${mode === 'dry run' ? 'will be' : 'was'} stored as feature '${resolved.name}'`);
      }
      plans.push({
        column,
        feature: resolved.name,
        valueType: resolved.value_type,
        registration: resolved.feature_group === null ? 'assign' : 'existing',
        rules: resolved.validation ?? null,
      });
    }
    if (choice.evolveSchema) await this.evolve(plans, staged, warnings);
    if (plans.length + newColumns.length === 0 && problems.length === 0) {
      problems.push('the data has no feature columns besides the entity key and event time');
    }
    if (newColumns.length > 0) {
      const inferred = await staged.inferTypes(newColumns.map((c) => c.column));
      for (const { column, feature } of newColumns) {
        const valueType = inferred.get(column.name) ?? null;
        if (valueType === null) {
          problems.push(`column '${column.name}' is new and empty, so its type cannot be inferred; register the feature first`);
          continue;
        }
        plans.push({ column, feature, valueType, registration: 'new' });
        if (!feature.startsWith(`${entity}_`)) {
          warnings.push(`New feature '${feature}' does not start with '${entity}_'; the entity prefix is recommended`);
        }
      }
    }
    problems.push(...explainSharedTargets(plans));
    if (!keyColumn) return { plan: undefined, problems, keyCandidates };
    return { plan: { entity, entityDoc, group, groupDoc, keyColumn, timeColumn, features: plans, warnings }, problems, keyCandidates };
  }

  private async validate(plan: IngestPlan, staged: StagedTable): Promise<void> {
    const { invalidRows, errors, truncated } = await this.findInvalidRows(plan, staged);
    if (invalidRows === 0) return;
    const first = errors[0]!;
    throw new AppError(
      'FSTORE_INGEST_REJECTED',
      `${invalidRows} of ${staged.rowCount} rows are invalid, so nothing was written. First: row ${first.row}, column '${first.column}': ${first.reason}` +
        (plan.features.some((f) => errors.some((e) => e.column === f.column.name)) ? '. If the column’s type changed on purpose, re-send with evolve_schema=true' : ''),
      { invalid_rows: invalidRows, rows: staged.rowCount, errors, errors_truncated: truncated },
    );
  }

  /** Every row that breaks a rule (up to MAX_REPORTED_ERRORS reported), checked in one SQL pass. */
  /**
   * Schema evolution on request: an existing feature whose column does not fit its type is re-typed
   * to what the column's values are (the change is a new version of the feature, recorded at
   * registration). Columns that fit keep their type.
   */
  private async evolve(plans: ColumnPlan[], staged: StagedTable, warnings: string[]): Promise<void> {
    const existing = plans.filter((p) => p.registration !== 'new');
    if (existing.length === 0) return;
    const misfits = await staged.connection.runAndReadAll(
      `SELECT ${existing
        .map((p, i) => `count(*) FILTER (WHERE ${quoteIdent(p.column.name)} IS NOT NULL AND ${typedExpr(quoteIdent(p.column.name), p.column.kind, p.valueType)} IS NULL) AS m${i}`)
        .join(', ')} FROM src`,
    );
    const row = misfits.getRowObjectsJS()[0] ?? {};
    const changed = existing.filter((_, i) => Number(row[`m${i}`] ?? 0) > 0);
    if (changed.length === 0) return;
    const inferred = await staged.inferTypes(changed.map((p) => p.column));
    for (const p of changed) {
      const next = inferred.get(p.column.name);
      if (!next || next === p.valueType) continue;
      warnings.push(`Feature '${p.feature}' changes from ${p.valueType} to ${next} (evolve_schema); a new version records it`);
      p.retypeFrom = p.valueType;
      p.valueType = next;
    }
  }

  private async findInvalidRows(plan: IngestPlan, staged: StagedTable): Promise<{ invalidRows: number; errors: RowError[]; truncated: boolean }> {
    const checks: { column: string; condition: string; reason: string }[] = [];
    const key = quoteIdent(plan.keyColumn.name);
    checks.push({
      column: plan.keyColumn.name,
      condition: `${key} IS NULL OR trim(CAST(${key} AS VARCHAR)) = ''`,
      reason: 'the entity key is missing',
    });
    // The SQL form of entityKeyProblem(): a key one store can keep and another cannot is refused.
    checks.push({
      column: plan.keyColumn.name,
      condition: `length(CAST(${key} AS VARCHAR)) > ${MAX_ENTITY_KEY_CHARS} OR strlen(CAST(${key} AS VARCHAR)) > ${MAX_ENTITY_KEY_BYTES}`,
      reason: KEY_TOO_LONG,
    });
    checks.push({ column: plan.keyColumn.name, condition: `contains(CAST(${key} AS VARCHAR), chr(0))`, reason: KEY_HAS_NUL });
    if (plan.timeColumn) {
      const t = quoteIdent(plan.timeColumn.name);
      checks.push({
        column: plan.timeColumn.name,
        condition: `${timestampExpr(t, plan.timeColumn.kind)} IS NULL`,
        reason: plan.timeColumn.kind === 'number'
          ? 'event times must be ISO-8601 timestamps (numbers are ambiguous: seconds or milliseconds?)'
          : 'the event time is missing or not an ISO-8601 timestamp',
      });
    }
    for (const f of plan.features) {
      const col = quoteIdent(f.column.name);
      checks.push({
        column: f.column.name,
        condition: `${col} IS NOT NULL AND ${typedExpr(col, f.column.kind, f.valueType)} IS NULL`,
        reason: `expected ${expectation(f.valueType)} for feature '${f.feature}' (${f.valueType})`,
      });
      if (f.valueType === 'STRING' || f.valueType === 'STRING_LIST') {
        // PostgreSQL text cannot hold U+0000: refused on every store, as entity keys are.
        const text = `CAST(${typedExpr(col, f.column.kind, f.valueType)} AS VARCHAR)`;
        checks.push({ column: f.column.name, condition: `${col} IS NOT NULL AND contains(${text}, chr(0))`, reason: TEXT_HAS_NUL });
      }
      if (f.rules?.action === 'reject') {
        for (const rule of ruleChecks(f)) checks.push({ column: f.column.name, condition: rule.condition, reason: `${rule.reason} (validation rule of '${f.feature}')` });
      }
    }
    const flags = checks.map((c, i) => `(${c.condition}) AS bad${i}`);
    const values = checks.map((c, i) => `CAST(${quoteIdent(c.column)} AS VARCHAR) AS v${i}`);
    const anyBad = checks.map((c) => `(${c.condition})`).join(' OR ');
    const reader = await staged.connection.runAndReadAll(
      `SELECT CAST(rowid AS DOUBLE) AS r, ${flags.join(', ')}, ${values.join(', ')}
       FROM src WHERE ${anyBad} ORDER BY rowid LIMIT ${MAX_REPORTED_ERRORS}`,
    );
    const rows = reader.getRowObjectsJS();
    if (rows.length === 0) return { invalidRows: 0, errors: [], truncated: false };
    const countReader = await staged.connection.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE) FROM src WHERE ${anyBad}`);
    const badRows = Number(countReader.getRowsJS()[0]?.[0] ?? 0);
    const errors: RowError[] = [];
    for (const row of rows) {
      checks.forEach((c, i) => {
        if (row[`bad${i}`] === true) {
          const raw = row[`v${i}`];
          errors.push({ row: Number(row['r']) + 1, column: c.column, value: raw === null ? null : String(raw).slice(0, 200), reason: c.reason });
        }
      });
    }
    return { invalidRows: badRows, errors, truncated: badRows > rows.length };
  }

  /**
   * Per-feature statistics of the batch and the rows breaking `warn` rules, in one pass over the
   * staged rows (plus one small query per broken rule for the first row numbers).
   */
  private async batchStats(plan: IngestPlan, staged: StagedTable, ingestedAt: number): Promise<BatchStats> {
    const warnRules = plan.features.flatMap((f) => (f.rules?.action === 'warn' ? ruleChecks(f).map((r) => ({ ...r, feature: f.feature })) : []));
    const byFeature = await this.featureStats(plan, staged);
    const parts = warnRules.map((r, i) => `count(*) FILTER (WHERE ${r.condition}) AS w${i}`);
    const time = plan.timeColumn ? `max(epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)}))` : `${Math.trunc(ingestedAt)}`;
    parts.push(`CAST(${time} AS DOUBLE) AS newest`);
    const row = (await staged.connection.runAndReadAll(`SELECT ${parts.join(', ')} FROM src`)).getRowObjectsJS()[0] ?? {};
    const total = staged.rowCount;
    const features = plan.features.map((f, i) => {
      const r = byFeature.get(i);
      const count = r ? Number(r[1]) : 0;
      return {
        feature: f.feature,
        count,
        nulls: total - count,
        null_rate: total > 0 ? (total - count) / total : null,
        min: finiteOrNull(r?.[2]),
        max: finiteOrNull(r?.[3]),
        mean: finiteOrNull(r?.[4]),
        std: finiteOrNull(r?.[5]),
        distinct: r ? Number(r[6]) : 0,
      };
    });
    const violations: BatchStats['violations'] = [];
    for (const [i, r] of warnRules.entries()) {
      const rows = Number(row[`w${i}`] ?? 0);
      if (rows === 0) continue;
      const first = (await staged.connection.runAndReadAll(`SELECT CAST(rowid AS DOUBLE) + 1 FROM src WHERE ${r.condition} ORDER BY rowid LIMIT 5`)).getRowsJS();
      violations.push({ feature: r.feature, rule: r.rule, reason: r.reason, rows, firstRows: first.map((x) => Number(x[0])) });
    }
    return { features, violations, newestEventMs: finiteOrNull(row['newest']) };
  }

  /**
   * Per feature (by plan index): [index, count, min, max, mean, std, approximate distinct], from
   * the batch unpivoted to one row per value: one aggregate set grouped by feature instead of six
   * aggregates per feature in one select list, and each typed expression written once (a select
   * list repeating thousands of typed expressions took seconds to plan for 1,000 columns).
   * Numbers are unpivoted as DOUBLE, other values as their text (distinct texts = distinct values).
   */
  private async featureStats(plan: IngestPlan, staged: StagedTable): Promise<Map<number, unknown[]>> {
    const out = new Map<number, unknown[]>();
    const indexed = plan.features.map((f, i) => ({ f, i }));
    const isNumeric = ({ f }: { f: ColumnPlan }) => f.valueType === 'INT' || f.valueType === 'FLOAT';
    for (const [cast, members] of [['DOUBLE', indexed.filter(isNumeric)], ['VARCHAR', indexed.filter((x) => !isNumeric(x))]] as const) {
      if (members.length === 0) continue;
      const values = members.map(({ f, i }) => `CAST(${typedExpr(quoteIdent(f.column.name), f.column.kind, f.valueType)} AS ${cast}) AS "${i}"`);
      const rows = await withOverflowFallback(async (scaled) => {
        const stats = cast === 'DOUBLE' ? `min(v), max(v), ${meanAndStd('v', scaled).join(', ')}` : 'NULL, NULL, NULL, NULL';
        return (
          await staged.connection.runAndReadAll(
            `SELECT CAST(col AS INTEGER), CAST(count(v) AS DOUBLE), ${stats}, CAST(approx_count_distinct(v) AS DOUBLE)
             FROM (UNPIVOT (SELECT ${values.join(', ')} FROM src) ON ${members.map(({ i }) => `"${i}"`).join(', ')} INTO NAME col VALUE v) GROUP BY col`,
          )
        ).getRowsJS();
      });
      for (const r of rows) out.set(Number(r[0]), r);
    }
    return out;
  }

  /** Creates what the batch needs in the registry: entity, group, new features, group assignments. */
  private async register(plan: IngestPlan, actor: string): Promise<FeatureGroup> {
    const warnings = plan.warnings;
    await this.registry.ensureEntity(plan.entity, actor, warnings);
    let group = plan.groupDoc;
    if (!group) {
      group = await this.createOrGet(
        () => this.registry.createFeatureGroup({ name: plan.group, entity: plan.entity }, actor),
        () => this.registry.get('feature_group', plan.group),
      );
      warnings.push(`Feature group '${plan.group}' did not exist and was created (online, no TTL)`);
    }
    for (const f of plan.features) {
      if (f.registration === 'new') {
        const created = await this.createOrGet(
          () =>
            this.registry.createFeature(
              { name: f.feature, value_type: f.valueType, entity: plan.entity, feature_group: plan.group, description: '', source: `ingested into ${plan.group}` },
              actor,
            ),
          () => this.registry.get('feature', f.feature),
        );
        if (created.feature_group !== plan.group || created.value_type !== f.valueType) {
          throw new AppError('FSTORE_VERSION_CONFLICT', `Feature '${f.feature}' was registered differently by a concurrent request; retry the batch`);
        }
      } else if (f.registration === 'assign' || f.retypeFrom) {
        await this.registry.updateFeature(
          f.feature,
          {
            ...(f.registration === 'assign' ? { feature_group: plan.group } : {}),
            ...(f.retypeFrom ? { value_type: f.valueType, feature_type: defaultFeatureType(f.valueType) } : {}),
          },
          actor,
        );
      }
    }
    return group;
  }

  private async createOrGet<T>(create: () => Promise<T>, get: () => Promise<T>): Promise<T> {
    try {
      return await create();
    } catch (err) {
      if (err instanceof AppError && err.code === 'FSTORE_ALREADY_EXISTS') return get();
      throw err;
    }
  }

  /**
   * Rows whose (entity key, event time) another row of the file repeats, counted once per extra row:
   * the store keeps one value per key, feature and event time (the later row's). Without an event
   * time column every row gets the ingestion time, so repeated keys alone count.
   */
  private async countRepeatedKeyTimes(plan: IngestPlan, staged: StagedTable): Promise<number> {
    const key = `trim(CAST(${quoteIdent(plan.keyColumn.name)} AS VARCHAR))`;
    const time = plan.timeColumn ? `epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)})` : '0';
    const reader = await staged.connection.runAndReadAll(`SELECT CAST(count(*) - count(DISTINCT (${key}, ${time})) AS DOUBLE) FROM src`);
    return Number(reader.getRowsJS()[0]?.[0] ?? 0);
  }

  /** Typed SELECT list shared by extraction and the online reduction: key, time ms, JSON per feature. */
  private columnsSql(plan: IngestPlan, ingestedAt: number): string {
    const key = quoteIdent(plan.keyColumn.name);
    const time = plan.timeColumn
      ? `CAST(epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)}) AS DOUBLE)`
      : `CAST(${Math.trunc(ingestedAt)} AS DOUBLE)`;
    const values = plan.features.map((f, i) => {
      const col = quoteIdent(f.column.name);
      return `CASE WHEN ${col} IS NOT NULL THEN ${jsonExpr(typedExpr(col, f.column.kind, f.valueType), f.valueType)} END AS j${i}`;
    });
    return `trim(CAST(${key} AS VARCHAR)) AS k, ${time} AS t, ${values.join(', ')}, rowid AS r`;
  }

  /**
   * Writes the staged rows to a Parquet file for appendParquet: entity_key, event_time_ms, seq (the
   * row number, so later rows win ties) and one column per feature in its value type (NULL = not written).
   */
  private async exportTypedRows(plan: IngestPlan, staged: StagedTable, ingestedAt: number): Promise<string> {
    const path = join(this.staging.tempDir, `typed-${randomUUID()}.parquet`);
    const key = quoteIdent(plan.keyColumn.name);
    const time = plan.timeColumn
      ? `CAST(epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)}) AS BIGINT)`
      : `CAST(${Math.trunc(ingestedAt)} AS BIGINT)`;
    const values = plan.features.map((f) => `${typedExpr(quoteIdent(f.column.name), f.column.kind, f.valueType)} AS ${quoteIdent(f.feature)}`);
    await staged.connection.run(
      `COPY (SELECT trim(CAST(${key} AS VARCHAR)) AS entity_key, ${time} AS event_time_ms, CAST(rowid AS BIGINT) AS seq, ${values.join(', ')} FROM src)
       TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`,
    );
    return path;
  }

  /**
   * The newest value per (key, feature), computed in DuckDB (ties on event time: the later row
   * wins, as offline), streamed in chunks for the online store. When every row has every feature
   * (`dense`), that is the newest row per key; otherwise the rows are unpivoted to one per written
   * value first, so memory and time grow with the number of values, not with columns times
   * per-column aggregate states (1,000 columns of one row once took gigabytes).
   */
  private async *newestPerKeyFromStaging(plan: IngestPlan, staged: StagedTable, ingestedAt: number, dense: boolean): AsyncIterable<OnlineRow[]> {
    if (dense) {
      // Each row's JSON texts come as one string joined by U+0001, which valid JSON text never
      // contains raw (JSON escapes control characters): one string for JS to decode and one split
      // per row, several times faster than a cell per value or a JSON array of texts to parse. In
      // key order: the online store's B-tree takes sorted keys several times faster than random ones.
      const texts = plan.features.map((_, i) => `coalesce(j${i}, '')`).join(', ');
      const result = await staged.connection.stream(
        `SELECT k, t, concat_ws(chr(1), ${texts}) AS js
         FROM (SELECT ${this.columnsSql(plan, ingestedAt)} FROM src) QUALIFY row_number() OVER (PARTITION BY k ORDER BY t DESC, r DESC) = 1
         ORDER BY k`,
      );
      const features = plan.features.map((f) => f.feature);
      let chunk: OnlineRow[] = [];
      for (;;) {
        const data = await result.fetchChunk();
        if (!data || data.rowCount === 0) break;
        const [keys, times, joined] = [data.getColumnValues(0), data.getColumnValues(1), data.getColumnValues(2)];
        for (let r = 0; r < data.rowCount; r++) {
          const eventTime = times[r] as number;
          const jsons = (joined[r] as string).split('\u0001');
          const values: OnlineRow['values'] = {};
          for (let i = 0; i < features.length; i++) {
            // '' = no value (a dense batch has none, but a NULL must never shift the others).
            if (jsons[i]) values[features[i]!] = { json: jsons[i]!, eventTime };
          }
          chunk.push({ entityKey: keys[r] as string, values });
        }
        // Whole chunks, not DuckDB's 2,048-row vectors: each online write is one store transaction.
        if (chunk.length >= CHUNK_ROWS) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
      return;
    }
    const names = plan.features.map((_, i) => `j${i}`);
    const indexOf = `CASE col ${names.map((n, i) => `WHEN '${n}' THEN ${i}`).join(' ')} END`;
    // UNPIVOT drops NULL values: only written values take part.
    const result = await staged.connection.stream(
      `SELECT k, ${indexOf} AS f, arg_max(v, struct_pack(t := t, r := r)) AS v, max(t) AS t
       FROM (UNPIVOT (SELECT ${this.columnsSql(plan, ingestedAt)} FROM src) ON ${names.join(', ')} INTO NAME col VALUE v)
       GROUP BY k, col ORDER BY k`,
    );
    let chunk: OnlineRow[] = [];
    let current: OnlineRow | undefined;
    for await (const rows of result.yieldRowsJs()) {
      for (const [key, f, json, time] of rows) {
        if (current === undefined || current.entityKey !== key) {
          if (chunk.length >= CHUNK_ROWS) {
            yield chunk;
            chunk = [];
          }
          current = { entityKey: key as string, values: {} };
          chunk.push(current);
        }
        current.values[plan.features[Number(f)]!.feature] = { json: json as string, eventTime: time as number };
      }
    }
    if (chunk.length > 0) yield chunk;
  }
}

/** SQL conditions (true = broken) for a feature's validation rules, over the staged column. */
function ruleChecks(f: ColumnPlan): { rule: RuleName; condition: string; reason: string }[] {
  const rules = f.rules;
  if (!rules) return [];
  const col = quoteIdent(f.column.name);
  const tv = typedExpr(col, f.column.kind, f.valueType);
  const out: { rule: RuleName; condition: string; reason: string }[] = [];
  const add = (rule: RuleName, condition: string) => out.push({ rule, condition, reason: describeRule(rule, rules) });
  if (rules.not_null) add('not_null', `${col} IS NULL`);
  if (rules.min !== undefined) add('min', `${tv} < ${finite(rules.min)}`);
  if (rules.max !== undefined) add('max', `${tv} > ${finite(rules.max)}`);
  if (rules.allowed_values) {
    const literals = rules.allowed_values.map((v) => (typeof v === 'string' ? quoteLiteral(v) : typeof v === 'boolean' ? String(v).toUpperCase() : finite(v)));
    add('allowed_values', `${tv} IS NOT NULL AND ${tv} NOT IN (${literals.join(', ')})`);
  }
  if (rules.pattern !== undefined) add('pattern', `${tv} IS NOT NULL AND NOT regexp_full_match(${tv}, ${quoteLiteral(rules.pattern)})`);
  return out;
}

function finiteOrNull(v: unknown): number | null {
  return v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);
}

function finite(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

function toBatchQuality(batchId: string, entity: string, group: string, ingestedAt: number, rows: number, stats: BatchStats): BatchQuality {
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

/** Reduces a batch to the newest value per (key, feature): what the online store needs. */
export function latestPerKey(batch: OfflineBatch): OnlineRow[] {
  const byKey = new Map<string, OnlineRow>();
  for (let row = 0; row < batch.entityKeys.length; row++) {
    const key = batch.entityKeys[row]!;
    const time = batch.eventTimes[row]!;
    let entry = byKey.get(key);
    for (const column of batch.columns) {
      const json = column.values[row];
      if (json === null || json === undefined) continue;
      if (!entry) byKey.set(key, (entry = { entityKey: key, values: {} }));
      const current = entry.values[column.feature];
      if (!current || current.eventTime <= time) entry.values[column.feature] = { json, eventTime: time };
    }
  }
  return [...byKey.values()];
}

/**
 * Maps a column to a feature of this entity by ADR 0003's rule (`matchFeatureName`): the exact
 * name, else `<entity>_<column>` (so a CSV
 * column `idade` feeds the registered `usuario_idade`). When the bare name is a feature of another
 * entity (generic names such as `amount` collide across teams), the column is this entity's
 * `<entity>_<column>`: the existing one, or a new feature of that name. Returns an explanation when
 * the column names a feature that cannot take these values, or the new feature's name.
 */
function resolveColumn(column: string, entity: string, group: string, byName: Map<string, Feature>): Feature | string | { newFeature: string } {
  // A prefixed feature takes the column only when it could store it; the exact name always wins.
  const match = matchFeatureName(column, entity, (n) => byName.get(n), (f) => f.status !== 'archived' && (f.feature_group === null || f.feature_group === group));
  switch (match.kind) {
    case 'exact':
      return usable(match.feature, entity, group);
    case 'prefixed':
      return match.feature;
    case 'none':
      return { newFeature: column };
    case 'other_entity': {
      // The bare name is another entity's: only the prefixed name is this entity's.
      if (match.prefixed) return usable(match.prefixed, entity, group);
      const invalid = explainInvalidName('feature', match.prefixedName);
      if (invalid) return `feature '${column}' belongs to entity '${match.owner.entity}' and ${invalid.replace(/^Feature name /, 'the prefixed name ')}; rename the column`;
      return { newFeature: match.prefixedName };
    }
  }
}

/** Two columns feeding one feature (`idade` and `usuario_idade`, say) would overwrite each other's values. */
function explainSharedTargets(plans: ColumnPlan[]): string[] {
  const columnsOf = new Map<string, string[]>();
  for (const p of plans) columnsOf.set(p.feature, [...(columnsOf.get(p.feature) ?? []), p.column.name]);
  return [...columnsOf]
    .filter(([, columns]) => columns.length > 1)
    .map(([feature, columns]) => `columns ${columns.map((c) => `'${c}'`).join(' and ')} would all be stored as feature '${feature}'; keep one`);
}

function usable(feature: Feature, entity: string, group: string): Feature | string {
  if (feature.status === 'archived') return `feature '${feature.name}' is archived`;
  if (feature.entity !== entity) return `feature '${feature.name}' belongs to entity '${feature.entity}'`;
  if (feature.feature_group !== null && feature.feature_group !== group) {
    return `feature '${feature.name}' is stored in group '${feature.feature_group}'; ingest it there or rename the column`;
  }
  return feature;
}

function assertValidName(kind: 'entity' | 'feature_group', name: string): void {
  const problem = explainInvalidName(kind, name);
  if (problem) throw new AppError('FSTORE_INVALID_NAME', problem);
}

function reject(message: string): never {
  throw new AppError('FSTORE_INGEST_REJECTED', message);
}
