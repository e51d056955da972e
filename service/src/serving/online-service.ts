import type { OnlineFeatureValue, OnlineRequest, OnlineResponse } from '../../../shared/api/serving.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OnlineReadGroup, OnlineStore } from '../storage/online-store.js';
import { isoOf } from '../util/time.js';
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
    const slot = features.map((f) => {
      if (!f.group || computed.has(f.group.name)) return undefined;
      let g = groups.findIndex((x) => x.group === f.group!.name);
      if (g < 0) g = groups.push({ group: f.group.name, features: [] }) - 1;
      return [g, groups[g]!.features.push(f.name) - 1] as const;
    });
    const stored = groups.length > 0 ? await this.store.read(request.entity, keys, groups) : keys.map(() => []);
    const warnings = deprecationWarnings(features);
    return {
      ...(warnings.length > 0 ? { warnings } : {}),
      entity: request.entity,
      features: features.map((f) => f.name),
      value_types: Object.fromEntries(features.map((f) => [f.requested, f.valueType])),
      results: keys.map((entityKey, k) => {
        const values: Record<string, OnlineFeatureValue> = {};
        features.forEach((f, i) => {
          const onDemand = f.group ? computed.get(f.group.name)?.[k]?.get(f.name) : undefined;
          if (onDemand) {
            values[f.requested] = onDemand;
            if (onDemand.status === 'PRESENT') this.sampler?.record(request.entity, f.name, onDemand.value);
            return;
          }
          const at = slot[i];
          const value = at ? stored[k]?.[at[0]]?.[at[1]] : undefined;
          if (!value) {
            values[f.requested] = { value: null, status: 'NOT_FOUND', event_timestamp: null };
            return;
          }
          const ttl = f.group!.ttl_seconds;
          const expired = ttl !== null && now - value.eventTime > ttl * 1000;
          values[f.requested] = {
            value: expired ? null : JSON.parse(value.json),
            status: expired ? 'EXPIRED' : 'PRESENT',
            event_timestamp: isoOf(value.eventTime),
          };
          if (!expired) this.sampler?.record(request.entity, f.name, values[f.requested]!.value);
        });
        return { entity_key: entityKey, features: values };
      }),
    };
  }
}
