import type { OnlineFeatureValue, OnlineRequest } from '@shared/api/serving.js';
import type { Transform } from '@shared/domain/schemas.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OnlineStore } from '../storage/online-store.js';
import { resolveFeatures } from './feature-resolver.js';
import { selectFeatures } from './feature-selection.js';
import type { OnDemandFeatures } from './on-demand-features.js';
import type { ServingSampler } from '../monitoring/serving-sampler.js';
import { onlineJson } from './online-json.js';
import type { OnlineRead } from './online-read.js';
import { buildPlan, type ServingPlan } from './serving-plan.js';
import { mergeInputs, onlineRequestValues, pickInputs } from './request-data.js';

/** A served response: the JSON body (an OnlineResponse) and the warnings it carries, for a header. */
export interface OnlineAnswer {
  json: string;
  warnings: string[];
}

const PLAN_CACHE_LIMIT = 1000;

/**
 * Online serving: latest values with their event time and status; TTL is checked on every read.
 * `read` does the store round trip and the on-demand groups once; the answer's encoders
 * (`onlineJson`, `onlineArrow`) turn the read into bytes with the same statuses.
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

  /** The JSON answer. */
  async get(request: OnlineRequest): Promise<OnlineAnswer> {
    const read = await this.read(request);
    return { json: onlineJson(read), warnings: read.plan.warnings };
  }

  /**
   * Resolves the features, of the list or the feature service (4xx errors for bad names), then reads
   * every (key, group) in one store round trip.
   */
  async read(body: OnlineRequest): Promise<OnlineRead> {
    const request = await selectFeatures(this.registry, body);
    const plan = await this.planFor(request.entity, request.feature_list);
    const now = this.now();
    const keys = request.entity_keys;
    // Groups computed at request time by an on-demand transform.
    let computed: Map<string, Map<string, OnlineFeatureValue>[]> | undefined;
    const onDemand = this.onDemand;
    const transforms: { group: string; transform: Transform }[] = [];
    if (onDemand) {
      for (const group of plan.transformGroups) {
        const transform = await onDemand.transformOf(group);
        if (transform) transforms.push({ group: group.name, transform });
      }
    }
    // Every request input is checked before anything is computed.
    const inputs = mergeInputs(transforms.map((t) => t.transform));
    const values = onlineRequestValues(inputs, request.request_data, keys.length);
    for (const { group, transform } of transforms) {
      const own = transform.request_inputs ?? [];
      const mine = own.length === 0 ? [] : values.map((v) => pickInputs(own, v));
      (computed ??= new Map()).set(group, await onDemand!.compute(request.entity, keys, transform, now, mine));
    }
    const reads = computed === undefined ? plan.reads : plan.reads.filter((r) => !computed.has(r.group));
    const stored = reads.length > 0 ? await this.store.read(request.entity, keys, reads) : keys.map(() => []);
    return {
      plan,
      keys,
      now,
      stored,
      readIndex: reads === plan.reads ? undefined : new Map(reads.map((r, i) => [r.group, i])),
      computed,
      samples: this.sampler?.ringsFor(request.entity, plan.features.map((f) => f.name)),
    };
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
