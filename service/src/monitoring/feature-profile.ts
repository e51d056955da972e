/**
 * A feature's data profile: distribution, statistics, freshness, what serving answers now and the
 * ingestion that wrote it. Aggregates run inside the offline store over the newest days of history
 * holding about `maxValues` values, so the work stays bounded however long the history grows.
 */
import { QUANTILE_LABELS, QUANTILE_PROBABILITIES } from '@shared/api/monitoring.js';
import { PROFILE_DEFAULT_MAX_VALUES, type FeatureProfile, type LatestValue, type ProfileBin } from '@shared/api/profile.js';
import type { OnlineResponse } from '@shared/api/serving.js';
import type { Feature } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { JobService } from '../jobs/job-service.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OnlineService } from '../serving/online-service.js';
import type { DailySummary, OfflineStore } from '../storage/offline-store.js';
import { roundGrid } from './histogram-grid.js';
import { ingestionSourceOf } from './ingestion-source.js';

const DAY_MS = 86_400_000;
const TOP_VALUES = 10;
const LATEST_KEYS = 5;
/** Newest values read to find LATEST_KEYS distinct keys (a key written many times takes several). */
const NEWEST_SCANNED = 200;
/** Up to this many values, quantiles and distinct counts are exact; above, the store may estimate them. */
const EXACT_UP_TO = 200_000;
const ALL_TIME = { start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER };

export interface ProfileDeps {
  registry: RegistryService;
  offline: OfflineStore;
  online: OnlineService;
  jobs: JobService;
  now?: () => number;
}

export async function featureProfile(deps: ProfileDeps, name: string, maxValues = PROFILE_DEFAULT_MAX_VALUES): Promise<FeatureProfile> {
  const feature = await deps.registry.get('feature', name);
  const now = (deps.now ?? Date.now)();
  const isNumeric = feature.value_type === 'INT' || feature.value_type === 'FLOAT';
  const ingestion = await ingestionSourceOf(feature, deps.registry, deps.jobs);
  const empty: FeatureProfile = {
    feature: feature.name,
    entity: feature.entity,
    feature_group: feature.feature_group,
    value_type: feature.value_type,
    kind: isNumeric ? 'numeric' : 'categorical',
    window: null,
    count: 0,
    rows: 0,
    null_rate: null,
    distinct: 0,
    min: null,
    max: null,
    mean: null,
    std: null,
    quantiles: Object.fromEntries(QUANTILE_LABELS.map((label) => [label, null])),
    histogram: [],
    top: [],
    freshness: { newest_event_time: null, age_seconds: null, values_last_day: 0 },
    latest: [],
    ingestion,
  };
  if (!feature.feature_group) return empty;

  const base = { entity: feature.entity, features: [feature.name] };
  const [days, newest] = await Promise.all([
    deps.offline.daily({ ...base, ...ALL_TIME }),
    deps.offline.newestValues({ entity: feature.entity, feature: feature.name, limit: NEWEST_SCANNED }),
  ]);
  const newestTime = newest[0]?.eventTime;
  if (days.length === 0 || newestTime === undefined) return empty;

  const { start, isComplete, values } = boundedStart(days, maxValues);
  const window = { ...base, start, end: ALL_TIME.end };
  const groupFeatures = (await deps.registry.list('feature', true)).filter((f) => f.feature_group === feature.feature_group).map((f) => f.name);
  const [[summary], tops, rows, lastDay, latest] = await Promise.all([
    deps.offline.summarize({ ...window, probabilities: [...QUANTILE_PROBABILITIES], approximate: values > EXACT_UP_TO }),
    isNumeric ? Promise.resolve([[]]) : deps.offline.topValues({ ...window, limit: TOP_VALUES }),
    deps.offline.countRows({ ...window, features: groupFeatures }),
    deps.offline.countRows({ ...base, start: now - DAY_MS, end: now }),
    servedValues(deps.online, feature, distinctKeys(newest.map((v) => v.entityKey), LATEST_KEYS)),
  ]);
  const s = summary!;
  const histogram = isNumeric && s.min !== null && s.max !== null ? await distribution(deps.offline, window, s.min, s.max, feature.value_type === 'INT') : [];
  return {
    ...empty,
    window: { start: new Date(start === ALL_TIME.start ? Date.parse(`${days[0]!.day}T00:00:00Z`) : start).toISOString(), end: new Date(newestTime).toISOString(), complete: isComplete, history_values: days.reduce((n, d) => n + d.count, 0) },
    count: s.count,
    rows,
    null_rate: rows > 0 ? Math.max(0, 1 - s.count / rows) : null,
    distinct: s.distinct,
    min: s.min,
    max: s.max,
    mean: s.mean,
    std: s.std,
    quantiles: Object.fromEntries(QUANTILE_LABELS.map((label, i) => [label, s.quantiles[i] ?? null])),
    histogram,
    top: (tops[0] ?? []).map((t) => ({ value: parseJson(t.value), count: t.count })),
    freshness: { newest_event_time: new Date(newestTime).toISOString(), age_seconds: Math.max(0, (now - newestTime) / 1000), values_last_day: lastDay },
    latest,
  };
}

/** The start of the newest days holding at least `maxValues` values (all history when it holds fewer). */
function boundedStart(days: DailySummary[], maxValues: number): { start: number; isComplete: boolean; values: number } {
  let total = 0;
  for (let i = days.length - 1; i >= 0; i--) {
    total += days[i]!.count;
    if (total >= maxValues && i > 0) return { start: Date.parse(`${days[i]!.day}T00:00:00Z`), isComplete: false, values: total };
  }
  return { start: ALL_TIME.start, isComplete: true, values: total };
}

async function distribution(offline: OfflineStore, window: { entity: string; features: string[]; start: number; end: number }, min: number, max: number, isInteger: boolean): Promise<ProfileBin[]> {
  const grid = roundGrid(min, max, isInteger);
  const perWindow = await offline.histogram({ entity: window.entity, features: window.features, windows: [{ start: window.start, end: window.end }], grids: [grid] });
  const counts = perWindow[0]?.[0];
  const width = (grid.hi - grid.lo) / grid.bins;
  // Bins 1..n of the store's answer; 0 and n + 1 (outside the grid) are empty, as the grid spans min..max.
  return Array.from({ length: grid.bins }, (_, i) => ({ lower: grid.lo + i * width, upper: grid.lo + (i + 1) * width, count: counts?.[i + 1] ?? 0 }));
}

function distinctKeys(keys: string[], limit: number): string[] {
  return [...new Set(keys)].slice(0, limit);
}

/** What online serving answers now for the keys (none when the feature is not served, e.g. archived). */
async function servedValues(online: OnlineService, feature: Feature, keys: string[]): Promise<LatestValue[]> {
  if (keys.length === 0) return [];
  try {
    const answer = JSON.parse((await online.get({ entity: feature.entity, entity_keys: keys, feature_list: [feature.name] })).json) as OnlineResponse;
    return answer.results.map((r) => {
      const cell = r.features[feature.name];
      return { entity_key: r.entity_key, value: cell?.value ?? null, status: cell?.status ?? 'NOT_FOUND', event_timestamp: cell?.event_timestamp ?? null };
    });
  } catch (err) {
    if (err instanceof AppError) return [];
    throw err;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
