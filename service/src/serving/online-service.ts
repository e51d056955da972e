import type { OnlineFeatureValue, OnlineRequest, OnlineResponse } from '../../../shared/api/serving.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OnlineReadGroup, OnlineStore } from '../storage/online-store.js';
import { servedIsoOf } from '../util/time.js';
import { deprecationWarnings, resolveFeatures } from './feature-resolver.js';
import type { OnDemandFeatures } from './on-demand-features.js';
import type { ServingSampler } from '../monitoring/serving-sampler.js';

/** Online serving: latest values with their event time and status; TTL is checked on every read. */
export class OnlineService {
  constructor(
    private readonly registry: RegistryService,
    private readonly store: OnlineStore,
    private readonly now: () => number = Date.now,
    private readonly onDemand?: OnDemandFeatures,
    private readonly sampler?: ServingSampler,
  ) {}

  async get(request: OnlineRequest): Promise<OnlineResponse> {
    const features = await resolveFeatures(this.registry, request.entity, request.feature_list);
    const offlineOnly = features.filter((f) => f.group && !f.group.online);
    if (offlineOnly.length > 0) {
      throw new AppError(
        'FSTORE_VALIDATION_FAILED',
        `Not served online (their group has online: false): ${offlineOnly.map((f) => `'${f.name}' (group '${f.group!.name}')`).join(', ')}`,
      );
    }
    const now = this.now();
    const keys = request.entity_keys;
    // Groups computed at request time by an on-demand transform.
    const computed = new Map<string, Map<string, OnlineFeatureValue>[]>();
    if (this.onDemand) {
      for (const f of features) {
        if (!f.group || computed.has(f.group.name)) continue;
        const transform = await this.onDemand.transformOf(f.group);
        if (transform) computed.set(f.group.name, await this.onDemand.compute(request.entity, keys, transform, now));
      }
    }
    // One read per group, all groups in one store round trip.
    const groups: OnlineReadGroup[] = [];
    const groupIndex = new Map<string, number>();
    const slot = features.map((f) => {
      if (!f.group || computed.has(f.group.name)) return undefined;
      let g = groupIndex.get(f.group.name);
      if (g === undefined) groupIndex.set(f.group.name, (g = groups.push({ group: f.group.name, features: [] }) - 1));
      return [g, groups[g]!.features.push(f.name) - 1] as const;
    });
    const stored = groups.length > 0 ? await this.store.read(request.entity, keys, groups) : keys.map(() => []);
    const warnings = deprecationWarnings(features);
    const samples = this.sampler?.ringsFor(request.entity, features.map((f) => f.name));
    return {
      ...(warnings.length > 0 ? { warnings } : {}),
      entity: request.entity,
      features: features.map((f) => f.name),
      value_types: Object.fromEntries(features.map((f) => [f.requested, f.valueType])),
      results: keys.map((entityKey, k) => {
        const values: Record<string, OnlineFeatureValue> = {};
        for (let i = 0; i < features.length; i++) {
          const f = features[i]!;
          const onDemand = f.group ? computed.get(f.group.name)?.[k]?.get(f.name) : undefined;
          if (onDemand) {
            values[f.requested] = onDemand;
            if (onDemand.status === 'PRESENT') samples?.[i]!.push(onDemand.value);
            continue;
          }
          const at = slot[i];
          const value = at ? stored[k]?.[at[0]]?.[at[1]] : undefined;
          if (!value) {
            values[f.requested] = { value: null, status: 'NOT_FOUND', event_timestamp: null };
            continue;
          }
          const ttl = f.group!.ttl_seconds;
          const expired = ttl !== null && now - value.eventTime > ttl * 1000;
          const parsed = expired ? null : (JSON.parse(value.json) as OnlineFeatureValue['value']);
          values[f.requested] = { value: parsed, status: expired ? 'EXPIRED' : 'PRESENT', event_timestamp: servedIsoOf(value.eventTime) };
          if (!expired) samples?.[i]!.push(parsed);
        }
        return { entity_key: entityKey, features: values };
      }),
    };
  }
}
