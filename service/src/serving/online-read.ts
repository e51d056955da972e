import type { OnlineFeatureValue } from '@shared/api/serving.js';
import type { SampleRing } from '../monitoring/serving-sampler.js';
import type { StoredValue } from '../storage/online-store.js';
import type { ServingPlan } from './serving-plan.js';

/**
 * One online read, done: the stored values of every (key, group) and the groups computed on
 * demand. Every encoder of the answer (JSON, Arrow) decides each cell the same way, with the
 * functions below: a value computed on demand as it is; else the stored value, EXPIRED when older
 * than its group's TTL at `now` (checked on every read), PRESENT otherwise; else NOT_FOUND.
 * PRESENT values go to the serving sampler (`samples`, one ring per feature) as JSON text.
 */
export interface OnlineRead {
  plan: ServingPlan;
  /** The requested keys, in request order (repeats included). */
  keys: string[];
  now: number;
  /** Indexed [key][read][feature], as OnlineStore.read answers. */
  stored: (StoredValue | undefined)[][][];
  /** Where each group's read landed in `stored` when some groups were computed instead; else the plan's order. */
  readIndex: Map<string, number> | undefined;
  /** Per on-demand group, per key: its features' values. Undefined when no group was computed. */
  computed: Map<string, Map<string, OnlineFeatureValue>[]> | undefined;
  samples: SampleRing[] | undefined;
}

/** The on-demand value of feature `i` for key `k`, when its group was computed for this request. */
export function computedCell(read: OnlineRead, k: number, i: number): OnlineFeatureValue | undefined {
  if (read.computed === undefined) return undefined;
  const group = read.plan.features[i]!.group;
  return group ? read.computed.get(group.name)?.[k]?.get(read.plan.features[i]!.name) : undefined;
}

/** The stored value of feature `i` for key `k`; undefined: NOT_FOUND (also while the feature has no group). */
export function storedCell(read: OnlineRead, k: number, i: number): StoredValue | undefined {
  const at = read.plan.slots[i];
  if (at === undefined) return undefined;
  const r = read.readIndex ? read.readIndex.get(read.plan.features[i]!.group!.name) : at[0];
  return r === undefined ? undefined : read.stored[k]?.[r]?.[at[1]];
}

/** Whether a stored value of feature `i` is older than its group's TTL. */
export function isExpired(read: OnlineRead, i: number, value: StoredValue): boolean {
  const ttl = read.plan.features[i]!.group!.ttl_seconds;
  return ttl !== null && read.now - value.eventTime > ttl * 1000;
}
