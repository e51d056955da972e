import type { IngestPreview, IngestReport } from '@shared/api/serving.js';
import { explainInvalidName } from '@shared/domain/names.js';
import type { FeatureGroup } from '@shared/domain/schemas.js';
import { defaultFeatureType } from '@shared/domain/value-types.js';
import type { BatchQuality } from '@shared/api/monitoring.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import type { OnlineStore } from '../storage/online-store.js';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { DataFormat } from '../staging/data-format.js';
import type { StagedTable, StagingEngine } from '../staging/staging-engine.js';
import { planColumns, planOrExplain, type ColumnChoice, type IngestPlan } from './column-plan.js';
import { findInvalidRows, rejectInvalidRows } from './row-validation.js';
import { scanBatch, toBatchQuality } from './batch-scan.js';
import { exportTypedRows, newestPerKeyFromStaging } from './staged-rows.js';
import { OnlineWriteOrder } from './online-write-order.js';

export type { ColumnChoice } from './column-plan.js';

const PREVIEW_ROWS = 20;

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
    /** Shared with the push path, so overlapping writes of a group reach the online store in commit order. */
    private readonly onlineOrder = new OnlineWriteOrder(),
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
      const plan = await planColumns(this.registry, entity, group, staged, options);
      await this.registry.assertGroupHasRoom(group, plan.features.filter((f) => f.registration !== 'existing').length);
      const { invalidRows, repeatedRows, oldestEventMs, stats } = await scanBatch(plan, staged, Date.now());
      if (invalidRows > 0) await rejectInvalidRows(plan, staged);
      for (const v of stats.violations) {
        plan.warnings.push(`${v.rows} rows of '${v.feature}' are ${v.reason} (validation rule, action warn); first rows: ${v.firstRows.join(', ')}`);
      }
      checkCancelled();
      progress({ phase: 'registering', rowsDone: 0, rowsTotal: total });
      const groupDoc = await this.register(plan, actor);
      const ingestedAt = Date.now();

      const writer = await this.offline.beginWrite(entity, group, ingestedAt);
      let written: number;
      let turn: ReturnType<OnlineWriteOrder['enter']> | undefined;
      // The typed rows go from the staging engine to the store as a Parquet file: no row passes
      // through JS. The store may read the file in place, so it stays until the write ends.
      let file: string | undefined;
      try {
        progress({ phase: 'writing offline', rowsDone: 0, rowsTotal: total });
        file = await exportTypedRows(plan, staged, ingestedAt, this.staging.tempDir);
        checkCancelled();
        await writer.appendParquet(
          file,
          plan.features.map((f) => ({ feature: f.feature, valueType: f.valueType })),
          (rows) => progress({ phase: 'writing offline', rowsDone: Math.min(rows, total), rowsTotal: total }),
          // The scan measured the exported rows already (same typed values, same key and time).
          {
            rows: total,
            values: stats.features.map((f) => f.count),
            repeatedKeyTimes: repeatedRows > 0,
            oldestEventMs: plan.timeColumn ? oldestEventMs : ingestedAt,
          },
        );
        progress({ phase: 'writing offline', rowsDone: total, rowsTotal: total });
        checkCancelled();
        written = await writer.commit();
        // Taken at once: the online writes below follow every write of the group committed before.
        turn = this.onlineOrder.enter(entity, group);
      } catch (err) {
        await writer.abort();
        throw err;
      } finally {
        if (file) await rm(file, { force: true });
      }

      let onlineWritten = 0;
      try {
        const batchId = options.batchId ?? randomUUID();
        this.observer?.onBatch(toBatchQuality(batchId, entity, group, ingestedAt, total, stats));
        this.observer?.onWrite(entity, group, written, stats.newestEventMs);
        await turn!.ready;
        if (groupDoc.online && !options.offlineOnly) {
          let done = 0;
          const dense = stats.features.every((f) => f.count === total);
          const chunks = newestPerKeyFromStaging(plan, staged, ingestedAt, dense)[Symbol.asyncIterator]();
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
      } finally {
        turn!.done();
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
      const { plan, problems, keyCandidates } = await planOrExplain(this.registry, target.entity, target.group, staged, target, 'dry run');
      if (plan) {
        const adding = plan.features.filter((f) => f.registration !== 'existing').length;
        await this.registry.assertGroupHasRoom(plan.group, adding).catch((err: unknown) => {
          if (err instanceof AppError) problems.push(err.message);
          else throw err;
        });
      }
      const validation = plan ? await findInvalidRows(plan, staged) : null;
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
}

function assertValidName(kind: 'entity' | 'feature_group', name: string): void {
  const problem = explainInvalidName(kind, name);
  if (problem) throw new AppError('FSTORE_INVALID_NAME', problem);
}

function reject(message: string): never {
  throw new AppError('FSTORE_INGEST_REJECTED', message);
}
