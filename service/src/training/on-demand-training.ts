/**
 * On-demand features with request inputs in point-in-time training. Runs cannot precompute them (the
 * inputs exist only in requests), so each label row gets what online serving would have answered at
 * the label time: the source group's state then (values within the TTL, the newest event time of
 * the key) plus the row's request-input columns, fed through `onDemandRow` to the same compiled code
 * in the same kind of sandbox. Values therefore equal the online ones for the same inputs.
 */
import type { Transform } from '@shared/domain/schemas.js';
import type { RegistryService } from '../registry/registry-service.js';
import { onDemandRow } from '../serving/on-demand-features.js';
import type { ResolvedFeature } from '../serving/feature-resolver.js';
import { pickInputs } from '../serving/request-data.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { rethrowTransform } from '../transforms/duckdb-transform-engine.js';
import { groupShape } from '../transforms/feature-group-rows.js';
import { TsSandbox } from '../transforms/ts-sandbox.js';

/** Rows per sandbox call, each with the time limit of a run's chunk. */
const CHUNK_ROWS = 5000;
const CHUNK_TIMEOUT_MS = 5000;

export class OnDemandTraining {
  constructor(
    private readonly registry: RegistryService,
    private readonly offline: OfflineStore,
    /** The sandbox of previews and runs: training never occupies the processes serving requests. */
    private readonly sandbox: TsSandbox,
  ) {}

  /** The transforms (by group) among `features` that read request inputs, so training computes them. */
  async transformsOf(features: readonly ResolvedFeature[]): Promise<Map<string, Transform>> {
    const out = new Map<string, Transform>();
    for (const group of new Set(features.flatMap((f) => (f.group?.transform ? [f.group] : [])))) {
      if (out.has(group.name)) continue;
      const transform = await this.registry.find('transform', group.transform!);
      if (transform?.on_demand && transform.status === 'active' && (transform.request_inputs ?? []).length > 0) out.set(group.name, transform);
    }
    return out;
  }

  /** Per label row, the transform's features (JSON text or null) by name. Label rows are checked already. */
  async compute(transform: Transform, keys: readonly string[], times: readonly number[], labels: readonly Record<string, unknown>[]): Promise<Map<string, string | null>[]> {
    const source = await this.registry.get('data_source', transform.sources[0]!);
    const shape = await groupShape(this.registry, source.feature_group!);
    const ttl = shape.group.ttl_seconds;
    const refs = shape.features.map((f) => ({ name: f.name, group: shape.group.name, ttlSeconds: ttl }));
    const inputOf: number[] = keys.map(() => -1);
    const inputs: Record<string, unknown>[] = [];
    if (refs.length > 0 && keys.length > 0) {
      const stateTimes = await this.stateTimes(shape.group.entity, refs, keys, times, ttl);
      let i = 0;
      for await (const chunk of this.offline.pointInTime({ entity: shape.group.entity, features: refs, entityKeys: [...keys], times: [...times] })) {
        for (const cells of chunk) {
          const row = i++;
          // As online: a key whose every value is absent or expired gets no input, so no output.
          if (cells.every((c) => c === null)) continue;
          const values = cells.map((c) => (c === null ? null : (JSON.parse(c) as unknown)));
          inputOf[row] = inputs.length;
          inputs.push(onDemandRow(shape, keys[row]!, latestAtOrBefore(stateTimes.get(keys[row]!), times[row]!), values, pickInputs(transform.request_inputs ?? [], labels[row]!)));
        }
      }
    }
    const compiled = TsSandbox.compile(transform.code);
    const results: (Record<string, unknown> | null)[] = [];
    for (let from = 0; from < inputs.length; from += CHUNK_ROWS) {
      const chunk = inputs.slice(from, from + CHUNK_ROWS);
      results.push(...(await this.sandbox.runRows(compiled, chunk, { timeoutMs: CHUNK_TIMEOUT_MS }).catch(rethrowTransform)));
    }
    return keys.map((_, row) => {
      const result = inputOf[row]! >= 0 ? results[inputOf[row]!] : null;
      return new Map(
        transform.features.map((f) => {
          const value = result?.[f.name];
          return [f.name, value === undefined || value === null ? null : JSON.stringify(value)];
        }),
      );
    });
  }

  /** Event times of the source group's states per label key, ascending, over the labels' window. */
  private async stateTimes(
    entity: string,
    refs: { name: string; group: string; ttlSeconds: number | null }[],
    keys: readonly string[],
    times: readonly number[],
    ttl: number | null,
  ): Promise<Map<string, number[]>> {
    const wanted = new Set(keys);
    // No spread: a label set can hold more rows than a call takes arguments.
    const end = times.reduce((a, b) => Math.max(a, b), Number.MIN_SAFE_INTEGER);
    const start = ttl === null ? Number.MIN_SAFE_INTEGER : times.reduce((a, b) => Math.min(a, b), Number.MAX_SAFE_INTEGER) - ttl * 1000;
    const out = new Map<string, number[]>();
    for await (const chunk of this.offline.range({ entity, features: refs, start, end })) {
      for (const [key, time] of chunk) {
        if (!wanted.has(key)) continue;
        let list = out.get(key);
        if (!list) out.set(key, (list = []));
        list.push(time);
      }
    }
    return out;
  }
}

/** The newest time at or before `t` in ascending `times` (the state a label row sees). */
function latestAtOrBefore(times: number[] | undefined, t: number): number | null {
  if (!times) return null;
  let lo = 0;
  let hi = times.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = times[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
