import { AppError } from '../errors/app-error.js';
import type { JobContext } from '../jobs/job-service.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { WatermarkStore } from '../state/watermark-store.js';
import type { OfflineStore } from '../storage/offline-store.js';
import type { OnlineRow, OnlineStore } from '../storage/online-store.js';

export interface MaterializeRequest {
  entity: string;
  featureGroup: string;
  /** Event-time window (epoch ms), inclusive. */
  start?: number;
  end?: number;
  /** Only values ingested since the last successful incremental run. */
  incremental?: boolean;
}

export interface MaterializeResult {
  [key: string]: unknown;
  values_read: number;
  keys: number;
  online_values_written: number;
  watermark_before: string | null;
  watermark_after: string | null;
}

const CHUNK_KEYS = 5000;

/**
 * Offline -> online: the newest value per key and feature of a group, for an event-time window or
 * incrementally (what was ingested since the last run), written in chunks. Online writes are
 * idempotent and never let an older event win, so a cancelled or crashed run is simply re-run;
 * the incremental watermark moves only when a run completes.
 */
export class MaterializeService {
  constructor(
    private readonly registry: RegistryService,
    private readonly offline: OfflineStore,
    private readonly online: OnlineStore,
    private readonly watermarks: WatermarkStore,
  ) {}

  /** Checks the request before a job is queued, so a bad one fails at once. */
  async validate(request: MaterializeRequest): Promise<void> {
    const group = await this.registry.get('feature_group', request.featureGroup);
    if (group.entity !== request.entity) {
      throw new AppError('FSTORE_VALIDATION_FAILED', `Feature group '${group.name}' belongs to entity '${group.entity}', not '${request.entity}'`);
    }
    if (!group.online) throw new AppError('FSTORE_VALIDATION_FAILED', `Feature group '${group.name}' is offline-only (online: false); nothing to materialize`);
    if (request.incremental && (request.start !== undefined || request.end !== undefined)) {
      throw new AppError('FSTORE_VALIDATION_FAILED', 'Give either a time window or incremental: true, not both');
    }
  }

  async run(request: MaterializeRequest, ctx: JobContext): Promise<MaterializeResult> {
    await this.validate(request);
    if (!request.incremental) return this.runWith(request, ctx, ctx.signal);
    // An incremental run moves the group's watermark: one replica at a time runs it.
    const onWait = () => ctx.progress({ phase: 'waiting for another replica’s run of this group', rowsDone: 0, rowsTotal: null });
    return this.watermarks.exclusive(watermarkNameOf(request), { signal: ctx.signal, onWait }, (signal) => this.runWith(request, ctx, signal));
  }

  private async runWith(request: MaterializeRequest, ctx: JobContext, signal: AbortSignal): Promise<MaterializeResult> {
    const group = await this.registry.get('feature_group', request.featureGroup);
    const features = (await this.registry.list('feature')).filter((f) => f.feature_group === group.name).map((f) => f.name);
    const watermarkName = watermarkNameOf(request);
    const before = request.incremental ? ((await this.watermarks.get(watermarkName)) as number | undefined) ?? 0 : undefined;
    let valuesRead = 0;
    let keys = 0;
    let written = 0;
    let newestIngested = before ?? 0;
    if (features.length > 0) {
      let chunk: OnlineRow[] = [];
      let current: OnlineRow | undefined;
      const flush = async () => {
        if (chunk.length === 0) return;
        if (signal.aborted) throw new AppError('FSTORE_CANCELLED', 'Materialization cancelled; re-run it to finish (it is idempotent)');
        written += await this.online.write({ entity: request.entity, group: group.name, ttlSeconds: group.ttl_seconds }, chunk);
        ctx.progress({ phase: 'writing online', rowsDone: valuesRead, rowsTotal: null });
        chunk = [];
      };
      for await (const rows of this.offline.latest({
        entity: request.entity,
        features,
        ...(request.start !== undefined ? { start: request.start } : {}),
        ...(request.end !== undefined ? { end: request.end } : {}),
        ...(before !== undefined ? { ingestedAfter: before } : {}),
      })) {
        for (const [entityKey, feature, json, eventTime, ingested] of rows) {
          valuesRead++;
          newestIngested = Math.max(newestIngested, ingested);
          if (current?.entityKey !== entityKey) {
            if (chunk.length >= CHUNK_KEYS) await flush();
            current = { entityKey, values: {} };
            chunk.push(current);
            keys++;
          }
          current.values[feature] = { json, eventTime };
        }
      }
      await flush();
    }
    if (request.incremental) await this.watermarks.set(watermarkName, newestIngested);
    return {
      values_read: valuesRead,
      keys,
      online_values_written: written,
      watermark_before: before !== undefined ? new Date(before).toISOString() : null,
      watermark_after: request.incremental ? new Date(newestIngested).toISOString() : null,
    };
  }
}

function watermarkNameOf(request: MaterializeRequest): string {
  return `materialize:${request.entity}:${request.featureGroup}`;
}
