/**
 * On-demand features: groups computed at request time by a TypeScript transform from the current
 * online values of another group. The transform sees the same row batch runs build from history
 * (`groupStateRow`), and runs the same compiled code, so served and trained values agree. Its
 * sandbox is not the one of previews and runs (see app-context.ts), and its budget of
 * REQUEST_TIMEOUT_MS includes any wait for a free sandbox process.
 */
import type { OnlineFeatureValue } from '@shared/api/serving.js';
import type { FeatureGroup, Transform } from '@shared/domain/schemas.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OnlineStore } from '../storage/online-store.js';
import { rethrowTransform } from '../transforms/duckdb-transform-engine.js';
import { groupShape, groupStateRow, type GroupShape } from '../transforms/feature-group-rows.js';
import { TsSandbox, type CompiledTransform } from '../transforms/ts-sandbox.js';
import { servedIsoOf } from '../util/time.js';

const REQUEST_TIMEOUT_MS = 1000;

export class OnDemandFeatures {
  private readonly compiled = new Map<string, CompiledTransform>();

  constructor(
    private readonly registry: RegistryService,
    private readonly store: OnlineStore,
    private readonly sandbox: TsSandbox,
  ) {}

  /** The on-demand transform computing `group`, if it is one. */
  async transformOf(group: FeatureGroup): Promise<Transform | undefined> {
    if (!group.transform) return undefined;
    const transform = await this.registry.find('transform', group.transform);
    return transform?.on_demand && transform.status === 'active' ? transform : undefined;
  }

  /**
   * Per entity key, the transform's output features (absent when there is no input for the key).
   * `requestValues`: the request inputs, one object for all keys or one per key (checked already).
   */
  async compute(entity: string, keys: string[], transform: Transform, now: number, requestValues: readonly Record<string, unknown>[] = []): Promise<Map<string, OnlineFeatureValue>[]> {
    const source = await this.registry.get('data_source', transform.sources[0]!);
    const shape = await groupShape(this.registry, source.feature_group!);
    const names = shape.features.map((f) => f.name);
    const stored = names.length > 0 ? await this.store.read(entity, keys, [{ group: shape.group.name, features: names }]) : keys.map(() => [[]]);
    const ttl = shape.group.ttl_seconds;
    const inputs: Record<string, unknown>[] = [];
    const inputTimes: number[] = [];
    const inputOf: number[] = keys.map(() => -1);
    keys.forEach((key, k) => {
      let newest: number | null = null;
      const values = names.map((_, i) => {
        const value = stored[k]?.[0]?.[i];
        if (!value || (ttl !== null && now - value.eventTime > ttl * 1000)) return null;
        newest = newest === null ? value.eventTime : Math.max(newest, value.eventTime);
        return JSON.parse(value.json) as unknown;
      });
      if (newest === null) return;
      inputOf[k] = inputs.length;
      inputs.push(onDemandRow(shape, key, newest, values, requestValues[requestValues.length === 1 ? 0 : k]));
      inputTimes.push(newest);
    });
    const results = inputs.length > 0 ? await this.sandbox.runRows(this.compile(transform), inputs, { timeoutMs: REQUEST_TIMEOUT_MS, timeoutIncludesWait: true }).catch(rethrowTransform) : [];
    return keys.map((_, k) => {
      const out = new Map<string, OnlineFeatureValue>();
      const at = inputOf[k]!;
      const result = at >= 0 ? results[at] : null;
      for (const feature of transform.features) {
        const value = result?.[feature.name];
        out.set(
          feature.name,
          value === undefined || value === null || !result
            ? { value: null, status: 'NOT_FOUND', event_timestamp: null }
            : { value: value as OnlineFeatureValue['value'], status: 'PRESENT', event_timestamp: servedIsoOf(inputTimes[at]!) },
        );
      }
      return out;
    });
  }

  compile(transform: Transform): CompiledTransform {
    const key = `${transform.name}@${transform.version}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = TsSandbox.compile(transform.code);
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
}

/**
 * The row an on-demand transform sees for one key: the source group's state (`groupStateRow`), then
 * its request inputs. Serving and training both build it here; publish keeps the names apart.
 */
export function onDemandRow(
  shape: GroupShape,
  entityKey: string,
  eventTimeMs: number | null,
  values: readonly unknown[],
  request: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const row = groupStateRow(shape, entityKey, eventTimeMs, values);
  return request ? Object.assign(row, request) : row;
}
