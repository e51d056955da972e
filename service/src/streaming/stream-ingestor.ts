import { jsonValueProblem } from '@shared/domain/json-value.js';
import { coerceValue, parseIso } from '@shared/domain/value-coercion.js';
import { describeRule, ruleViolations } from '@shared/domain/validation-rules.js';
import type { Feature, FeatureGroup } from '@shared/domain/schemas.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { defaultGroupName, explainCannotPlace, placeFeature } from '../registry/default-group.js';
import { matchFeatureName } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';
import { latestPerKey } from '../ingest/latest-per-key.js';
import { OnlineWriteOrder } from '../ingest/online-write-order.js';
import type { OfflineBatch, OfflineStore } from '../storage/offline-store.js';
import type { OnlineStore } from '../storage/online-store.js';
import { entityKeyProblem } from '../util/entity-keys.js';
import { GroupCommit } from './group-commit.js';

/**
 * A streamed record, in one of two shapes:
 *  - the seed's single value: `{entity_key, feature_name, value, timestamp}` (the feature's entity
 *    and group come from the registry);
 *  - a row: `{entity, feature_group, entity_key, timestamp, features: {name: value, ...}}`.
 * `timestamp` is ISO-8601; when absent, the time of arrival is used.
 */
export type StreamRecord = Record<string, unknown>;

export interface RecordError {
  index: number;
  reason: string;
}

export interface StreamWriteResult {
  accepted: number;
  values_written: number;
  online_values_written: number;
  rejected: RecordError[];
  /** Event times of the accepted values (for freshness metrics). */
  newestEventTime: number | null;
}

interface ValidValue {
  /** The record the value came from. */
  index: number;
  entity: string;
  groupName: string;
  /**
   * The group's registry document; undefined while the feature has no group yet (registered
   * without one): it is placed into `groupName` just before the values are written.
   */
  group: FeatureGroup | undefined;
  entityKey: string;
  eventTime: number;
  feature: string;
  valueType: ValueType;
  json: string;
}

/**
 * Validates streamed records against the registry and writes the valid ones: offline (one atomic
 * write per group) and online (newest event wins). Used by the Kafka consumer (both stores at once)
 * and the push API (offline, then online).
 */
export class StreamIngestor {
  /** Set by the app to feed monitoring. */
  onWrite: ((entity: string, group: string, values: number, newestEventMs: number | null) => void) | undefined;
  onRuleWarning: RuleWarningObserver | undefined;

  constructor(
    private readonly registry: RegistryService,
    private readonly offline: OfflineStore,
    private readonly online: OnlineStore,
    /** Most feature values one row record may carry (maxBatchColumns). */
    private readonly maxRecordFeatures = Number.POSITIVE_INFINITY,
    /** Shared with file ingestion, so overlapping writes of a group reach the online store in commit order. */
    private readonly onlineOrder = new OnlineWriteOrder(),
  ) {}

  /**
   * Checks every record; nothing is written. A value of a feature without a group is accepted when
   * the group it would be placed in can take it (see `place`).
   */
  async validate(records: StreamRecord[], now = Date.now()): Promise<{ values: ValidValue[]; rejected: RecordError[]; accepted: number }> {
    const [features, groups] = await Promise.all([this.registry.list('feature'), this.registry.list('feature_group')]);
    const byName = new Map(features.map((f) => [f.name, f]));
    const groupByName = new Map(groups.map((g) => [g.name, g]));
    let values: ValidValue[] = [];
    const rejected: RecordError[] = [];
    records.forEach((record, index) => {
      const result = this.validateRecord(record, index, now, byName, groupByName);
      if (typeof result === 'string') rejected.push({ index, reason: result });
      else values.push(...result);
    });
    const unplaceable = await this.explainUnplaceable(values);
    if (unplaceable.size > 0) {
      // A record is all or nothing: one value that cannot be placed rejects the record's other values too.
      const refused = new Map<number, string>();
      for (const v of values) {
        const reason = v.group === undefined ? unplaceable.get(`${v.entity}\u0000${v.groupName}`) : undefined;
        if (reason !== undefined && !refused.has(v.index)) refused.set(v.index, `feature '${v.feature}' has no feature group and cannot be placed: ${reason}`);
      }
      values = values.filter((v) => !refused.has(v.index));
      for (const [index, reason] of refused) rejected.push({ index, reason });
      rejected.sort((a, b) => a.index - b.index);
    }
    return { values, rejected, accepted: new Set(values.map((v) => v.index)).size };
  }

  /** Per (entity, group) that some group-less feature would be placed in: why it cannot be, when it cannot. */
  private async explainUnplaceable(values: ValidValue[]): Promise<Map<string, string>> {
    const targets = new Map<string, { entity: string; group: string }>();
    for (const v of values) if (v.group === undefined) targets.set(`${v.entity}\u0000${v.groupName}`, { entity: v.entity, group: v.groupName });
    const out = new Map<string, string>();
    for (const [id, { entity, group }] of targets) {
      const reason = await explainCannotPlace(this.registry, entity, group);
      if (reason !== undefined) out.set(id, reason);
    }
    return out;
  }

  /**
   * Gives every group-less feature among `values` its group (the entity's default group, created
   * on demand, or the group a row record named), recorded in the registry as a change by `actor`,
   * and returns the values with their groups' documents.
   */
  private async place(values: ValidValue[], actor: string): Promise<PlacedValue[]> {
    const placed = new Map<string, FeatureGroup>();
    for (const v of values) {
      if (v.group !== undefined || placed.has(v.feature)) continue;
      const feature = await this.registry.get('feature', v.feature);
      placed.set(v.feature, await placeFeature(this.registry, feature, actor, v.groupName));
    }
    if (placed.size === 0) return values as PlacedValue[];
    return values.map((v) => {
      if (v.group !== undefined) return v as PlacedValue;
      const group = placed.get(v.feature)!;
      return { ...v, group, groupName: group.name };
    });
  }

  /**
   * Writes already-validated values, offline then online: a request whose offline write fails has
   * written nothing online. Idempotent: re-writing the same values changes nothing. `actor` is
   * recorded for group placements (features registered without a group).
   */
  async write(values: ValidValue[], actor: string): Promise<{ values_written: number; online_values_written: number }> {
    let written = 0;
    let onlineWritten = 0;
    const ingestedAt = Date.now();
    for (const list of byGroup(await this.place(values, actor)).values()) {
      const { entity, group } = list[0]!;
      const batch = toBatch(entity, group.name, list);
      const n = await this.offline.write(batch, ingestedAt);
      const turn = this.onlineOrder.enter(entity, group.name);
      written += n;
      try {
        await turn.ready;
        onlineWritten += await this.writeOnline(entity, group, batch);
      } finally {
        turn.done();
      }
      this.onWrite?.(entity, group.name, n, newestOf(batch));
    }
    return { values_written: written, online_values_written: onlineWritten };
  }

  /**
   * The streaming write (Kafka): the online write starts at once, so a value is readable in
   * milliseconds, and the offline write is group-committed with the other batches in flight (one
   * transaction for many partitions' batches instead of one each). `offline` settles when the
   * values are durable offline (with the number of values); the caller commits its offsets then.
   * Both writes are idempotent, so a batch redelivered after a failure is safe to write again.
   */
  writeStreamed(values: ValidValue[], actor: string): { online: Promise<number>; offline: Promise<number> } {
    if (values.some((v) => v.group === undefined)) {
      // Placement comes first: a value is readable online only once its feature has a group.
      const started = this.place(values, actor).then((placed) => this.writeStreamedPlaced(placed));
      return { online: started.then((w) => w.online), offline: started.then((w) => w.offline) };
    }
    return this.writeStreamedPlaced(values as PlacedValue[]);
  }

  private writeStreamedPlaced(values: PlacedValue[]): { online: Promise<number>; offline: Promise<number> } {
    const online: Promise<number>[] = [];
    const offline: Promise<number>[] = [];
    for (const list of byGroup(values).values()) {
      const { entity, group } = list[0]!;
      const batch = toBatch(entity, group.name, list);
      online.push(this.writeOnline(entity, group, batch));
      offline.push(this.offlineCommitter(entity, group).submit(list).then(() => countCells(batch)));
    }
    const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
    return { online: settleAll(online).then(sum), offline: settleAll(offline).then(sum) };
  }

  private async writeOnline(entity: string, group: FeatureGroup, batch: OfflineBatch): Promise<number> {
    return group.online ? this.online.write({ entity, group: group.name, ttlSeconds: group.ttl_seconds }, latestPerKey(batch)) : 0;
  }

  private readonly committers = new Map<string, GroupCommit<PlacedValue>>();

  private offlineCommitter(entity: string, group: FeatureGroup): GroupCommit<PlacedValue> {
    const id = `${entity}\u0000${group.name}`;
    let committer = this.committers.get(id);
    if (!committer) {
      committer = new GroupCommit<PlacedValue>(async (merged) => {
        // Rows are rebuilt over the merged values so a (key, time) sent in two partitions is one row.
        const batch = toBatch(entity, group.name, merged);
        const n = await this.offline.write(batch, Date.now());
        this.onWrite?.(entity, group.name, n, newestOf(batch));
      });
      this.committers.set(id, committer);
    }
    return committer;
  }

  private validateRecord(
    record: StreamRecord,
    index: number,
    now: number,
    byName: Map<string, Feature>,
    groups: Map<string, FeatureGroup>,
  ): ValidValue[] | string {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'a record must be a JSON object';
    // Before anything reads or describes a value: serialising one nested too deeply overflows the
    // stack, and text that is not Unicode lands differently in each store.
    const unstorable = unstorableField(record);
    if (unstorable) return unstorable;
    const key = record['entity_key'];
    if ((typeof key !== 'string' || key.trim() === '') && typeof key !== 'number') return 'entity_key is missing';
    const entityKey = String(key).trim();
    const keyProblem = entityKeyProblem(entityKey);
    if (keyProblem) return keyProblem;
    let eventTime = now;
    if (record['timestamp'] !== undefined && record['timestamp'] !== null) {
      const parsed = typeof record['timestamp'] === 'string' ? parseIso(record['timestamp']) : undefined;
      if (parsed === undefined) return `timestamp ${describeTimestamp(record['timestamp'])} is not an ISO-8601 timestamp`;
      eventTime = parsed;
    }

    if ('feature_name' in record) {
      const name = record['feature_name'];
      if (typeof name !== 'string') return 'feature_name must be a string';
      if (!('value' in record)) return 'value is missing';
      const entity = typeof record['entity'] === 'string' ? record['entity'] : undefined;
      const feature = entity === undefined ? byName.get(name) : featureOfEntity(name, entity, byName);
      if (!feature) return `feature '${name}' does not exist`;
      if (entity !== undefined && entity !== feature.entity) {
        return `feature '${name}' belongs to entity '${feature.entity}', not '${entity}'`;
      }
      // A feature registered without a group goes to its entity's default group (created on demand).
      const groupName = feature.feature_group ?? defaultGroupName(feature.entity);
      const group = groups.get(groupName);
      if (feature.feature_group !== null && !group) return `feature '${name}' is in group '${feature.feature_group}', which is archived`;
      const coerced = coerceValue(feature.value_type, record['value']);
      if (!coerced.ok) return `feature '${name}': ${coerced.reason}`;
      const broken = this.checkRules(feature, coerced.json);
      if (broken) return broken;
      return [
        {
          index,
          entity: feature.entity,
          groupName,
          group: feature.feature_group === null ? undefined : group,
          entityKey,
          eventTime,
          feature: feature.name,
          valueType: feature.value_type,
          json: coerced.json,
        },
      ];
    }

    const entity = record['entity'];
    const groupName = record['feature_group'];
    const featureValues = record['features'];
    if (typeof entity !== 'string' || typeof groupName !== 'string') {
      return "a record needs either feature_name and value, or entity, feature_group and features";
    }
    const group = groups.get(groupName);
    if (!group) return `feature group '${groupName}' does not exist`;
    if (group.entity !== entity) return `feature group '${groupName}' belongs to entity '${group.entity}', not '${entity}'`;
    if (typeof featureValues !== 'object' || featureValues === null || Array.isArray(featureValues)) return 'features must be an object of name: value';
    const width = Object.keys(featureValues).length;
    if (width > this.maxRecordFeatures) return `the record has ${width} features; a record may have at most ${this.maxRecordFeatures} (maxBatchColumns)`;
    const out: ValidValue[] = [];
    for (const [name, value] of Object.entries(featureValues)) {
      const feature = featureOfEntity(name, entity, byName);
      // A feature of this entity registered without a group joins the group the record names, as in batches.
      if (!feature || feature.entity !== entity || (feature.feature_group !== groupName && feature.feature_group !== null)) return `feature '${name}' is not in group '${groupName}'`;
      const pending = feature.feature_group === null;
      if (value === null) {
        const broken = this.checkRules(feature, null);
        if (broken) return broken;
        continue; // an absent value, as in batches
      }
      const coerced = coerceValue(feature.value_type, value);
      if (!coerced.ok) return `feature '${name}': ${coerced.reason}`;
      const broken = this.checkRules(feature, coerced.json);
      if (broken) return broken;
      out.push({ index, entity, groupName, group: pending ? undefined : group, entityKey, eventTime, feature: feature.name, valueType: feature.value_type, json: coerced.json });
    }
    if (out.length === 0) return 'the record has no feature values';
    return out;
  }

  /** The reason a `reject` rule refuses the value; `warn` rules are reported and let through. */
  private checkRules(feature: Feature, json: string | null): string | undefined {
    const rules = feature.validation;
    if (!rules) return undefined;
    const broken = ruleViolations(json === null ? null : JSON.parse(json), rules);
    if (broken.length === 0) return undefined;
    if (rules.action === 'warn') {
      for (const rule of broken) this.onRuleWarning?.(feature.name, rule);
      return undefined;
    }
    return `feature '${feature.name}': the value is ${broken.map((r) => describeRule(r, rules)).join(' and ')} (validation rule)`;
  }
}

/** A value whose group is in the registry: what the stores are written with. */
type PlacedValue = ValidValue & { group: FeatureGroup };

/**
 * The feature a name means within an entity (ADR 0003, `matchFeatureName`): the exact name when it
 * is this entity's, else `<entity>_<name>` (the prefixed name a batch registers when the bare name
 * is another entity's). A bare name of another entity is returned when nothing of this entity
 * matches, so the caller can say whose it is.
 */
function featureOfEntity(name: string, entity: string, byName: Map<string, Feature>): Feature | undefined {
  const match = matchFeatureName(name, entity, (n) => byName.get(n));
  if (match.kind === 'other_entity') return match.owner;
  return match.kind === 'none' ? undefined : match.feature;
}

/** Told about values that break a `warn` rule (they are written), for monitoring. */
export type RuleWarningObserver = (feature: string, rule: string) => void;

/** Like Promise.all, but settles only after every promise did (a failure is not left running behind). */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function byGroup(values: PlacedValue[]): Map<string, PlacedValue[]> {
  const groups = new Map<string, PlacedValue[]>();
  for (const v of values) {
    const key = `${v.entity}\u0000${v.group.name}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(v);
  }
  return groups;
}

function newestOf(batch: OfflineBatch): number {
  return batch.eventTimes.reduce((a, b) => Math.max(a, b), -Infinity);
}

/** Values in a batch (after merging repeats of the same key, time and feature). */
function countCells(batch: OfflineBatch): number {
  let n = 0;
  for (const c of batch.columns) for (const v of c.values) if (v !== null) n++;
  return n;
}

/** Groups values into rows by (entity key, event time): one row carries all features sent together. */
function toBatch(entity: string, featureGroup: string, values: ValidValue[]): OfflineBatch {
  const types = new Map(values.map((v) => [v.feature, v.valueType]));
  const features = [...types.keys()];
  const column = new Map(features.map((f, i) => [f, i]));
  const batch: OfflineBatch = { entity, featureGroup, entityKeys: [], eventTimes: [], columns: features.map((f) => ({ feature: f, valueType: types.get(f)!, values: [] })) };
  const rowOf = new Map<string, number>();
  for (const v of values) {
    const id = `${v.entityKey}\u0000${v.eventTime}`;
    let row = rowOf.get(id);
    if (row === undefined) {
      row = batch.entityKeys.push(v.entityKey) - 1;
      batch.eventTimes.push(v.eventTime);
      for (const c of batch.columns) c.values.push(null);
      rowOf.set(id, row);
    }
    // A later value for the same (key, feature, time) in the same write wins, as in batches.
    batch.columns[column.get(v.feature)!]!.values[row] = v.json;
  }
  return batch;
}

/**
 * The field (`value`, `feature '<name>'`, ...) of a record no store can keep as sent, with the
 * reason (jsonValueProblem), if any.
 */
function unstorableField(record: StreamRecord): string | undefined {
  for (const [field, value] of Object.entries(record)) {
    if (field === 'features' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, featureValue] of Object.entries(value as Record<string, unknown>)) {
        const problem = jsonValueProblem(name) ?? jsonValueProblem(featureValue);
        if (problem) return `feature '${name}': ${problem}`;
      }
    } else {
      const problem = jsonValueProblem(field) ?? jsonValueProblem(value);
      if (problem) return `'${field}': ${problem}`;
    }
  }
  return undefined;
}

/** A timestamp that is not one, shown briefly (it may be any JSON value). */
function describeTimestamp(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
