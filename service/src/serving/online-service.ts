import type { OnlineFeatureValue, OnlineRequest } from '../../../shared/api/serving.js';
import type { FeatureGroup } from '../../../shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OnlineReadGroup, OnlineStore } from '../storage/online-store.js';
import { servedIsoOf } from '../util/time.js';
import { deprecationWarnings, resolveFeatures, type ResolvedFeature } from './feature-resolver.js';
import type { OnDemandFeatures } from './on-demand-features.js';
import type { ServingSampler } from '../monitoring/serving-sampler.js';

/** A served response: the JSON body (an OnlineResponse) and the warnings it carries, for a header. */
export interface OnlineAnswer {
  json: string;
  warnings: string[];
}

/**
 * What one (entity, feature list) needs on every request, derived once per registry generation:
 * the store reads grouped by feature group, where each feature's value lands in them, and the
 * constant JSON fragments of the answer.
 */
interface ServingPlan {
  features: ResolvedFeature[];
  reads: OnlineReadGroup[];
  /** Per feature: [read index, feature index in that read], or undefined (no group yet). */
  slots: (readonly [number, number] | undefined)[];
  /** Groups that may be computed on demand (they name a transform), checked per request. */
  transformGroups: FeatureGroup[];
  warnings: string[];
  /** `{"warnings":…,"entity":…,"features":[…],"value_types":{…},"results":[` */
  head: string;
  /** Per feature: `"<requested>":` (with a leading comma after the first). */
  keyPrefixes: string[];
}

const PLAN_CACHE_LIMIT = 1000;
const NOT_FOUND_JSON = '{"value":null,"status":"NOT_FOUND","event_timestamp":null}';

/**
 * Online serving: latest values with their event time and status; TTL is checked on every read.
 * The answer is written as JSON text directly: values are stored as JSON text, so they go out
 * without being parsed and serialised again (most of a request's CPU time before this).
 */
export class OnlineService {
  private plans: { generation: object; byRequest: Map<string, ServingPlan> } | undefined;

  constructor(
    private readonly registry: RegistryService,
    private readonly store: OnlineStore,
    private readonly now: () => number = Date.now,
    private readonly onDemand?: OnDemandFeatures,
    private readonly sampler?: ServingSampler,
  ) {}

  async get(request: OnlineRequest): Promise<OnlineAnswer> {
    const plan = await this.planFor(request.entity, request.feature_list);
    const now = this.now();
    const keys = request.entity_keys;
    // Groups computed at request time by an on-demand transform.
    const computed = new Map<string, Map<string, OnlineFeatureValue>[]>();
    if (this.onDemand) {
      for (const group of plan.transformGroups) {
        const transform = await this.onDemand.transformOf(group);
        if (transform) computed.set(group.name, await this.onDemand.compute(request.entity, keys, transform, now));
      }
    }
    const reads = computed.size === 0 ? plan.reads : plan.reads.filter((r) => !computed.has(r.group));
    const stored = reads.length > 0 ? await this.store.read(request.entity, keys, reads) : keys.map(() => []);
    const readIndex = reads === plan.reads ? undefined : new Map(reads.map((r, i) => [r.group, i]));
    const samples = this.sampler?.ringsFor(request.entity, plan.features.map((f) => f.name));
    const { features, slots, keyPrefixes } = plan;
    let json = plan.head;
    for (let k = 0; k < keys.length; k++) {
      json += `${k === 0 ? '' : ','}{"entity_key":${JSON.stringify(keys[k])},"features":{`;
      const byRead = stored[k];
      for (let i = 0; i < features.length; i++) {
        const f = features[i]!;
        json += keyPrefixes[i]!;
        const onDemand = computed.size > 0 && f.group ? computed.get(f.group.name)?.[k]?.get(f.name) : undefined;
        if (onDemand) {
          json += JSON.stringify(onDemand);
          if (onDemand.status === 'PRESENT') samples?.[i]!.push(JSON.stringify(onDemand.value));
          continue;
        }
        const at = slots[i];
        const read = at && (readIndex ? readIndex.get(f.group!.name) : at[0]);
        const value = at && read !== undefined ? byRead?.[read]?.[at[1]] : undefined;
        if (!value) {
          json += NOT_FOUND_JSON;
          continue;
        }
        const ttl = f.group!.ttl_seconds;
        const expired = ttl !== null && now - value.eventTime > ttl * 1000;
        // The stored text is what FStore wrote with JSON.stringify, so it is embedded as is.
        json += `{"value":${expired ? 'null' : value.json},"status":"${expired ? 'EXPIRED' : 'PRESENT'}","event_timestamp":"${servedIsoOf(value.eventTime)}"}`;
        if (!expired) samples?.[i]!.push(value.json);
      }
      json += '}}';
    }
    return { json: `${json}]}`, warnings: plan.warnings };
  }

  /** The request's plan, rebuilt when the registry's serving view changes (at most once a second). */
  private async planFor(entity: string, featureList: string[]): Promise<ServingPlan> {
    const generation = await this.registry.servingGeneration();
    if (this.plans?.generation !== generation || this.plans.byRequest.size >= PLAN_CACHE_LIMIT) {
      this.plans = { generation, byRequest: new Map() };
    }
    const cacheKey = `${entity}\u0000${featureList.join('\u0000')}`;
    let plan = this.plans.byRequest.get(cacheKey);
    if (!plan) {
      plan = buildPlan(entity, await resolveFeatures(this.registry, entity, featureList));
      this.plans.byRequest.set(cacheKey, plan);
    }
    return plan;
  }
}

function buildPlan(entity: string, features: ResolvedFeature[]): ServingPlan {
  const offlineOnly = features.filter((f) => f.group && !f.group.online);
  if (offlineOnly.length > 0) {
    throw new AppError(
      'FSTORE_VALIDATION_FAILED',
      `Not served online (their group has online: false): ${offlineOnly.map((f) => `'${f.name}' (group '${f.group!.name}')`).join(', ')}`,
    );
  }
  // One read per group, all groups in one store round trip.
  const reads: OnlineReadGroup[] = [];
  const readOf = new Map<string, number>();
  const transformGroups = new Map<string, FeatureGroup>();
  const slots = features.map((f) => {
    if (!f.group) return undefined;
    if (f.group.transform) transformGroups.set(f.group.name, f.group);
    let r = readOf.get(f.group.name);
    if (r === undefined) readOf.set(f.group.name, (r = reads.push({ group: f.group.name, features: [] }) - 1));
    return [r, reads[r]!.features.push(f.name) - 1] as const;
  });
  const warnings = deprecationWarnings(features);
  const valueTypes = features.map((f) => `${JSON.stringify(f.requested)}:${JSON.stringify(f.valueType)}`).join(',');
  const head =
    `{${warnings.length > 0 ? `"warnings":${JSON.stringify(warnings)},` : ''}"entity":${JSON.stringify(entity)},` +
    `"features":${JSON.stringify(features.map((f) => f.name))},"value_types":{${valueTypes}},"results":[`;
  return {
    features,
    reads,
    slots,
    transformGroups: [...transformGroups.values()],
    warnings,
    head,
    keyPrefixes: features.map((f, i) => `${i === 0 ? '' : ','}${JSON.stringify(f.requested)}:`),
  };
}
