/** Data quality of features over a window, computed in the offline store. */
import { QUANTILE_LABELS, QUANTILE_PROBABILITIES, type FeatureQuality, type QualityReport, type TimeWindow } from '@shared/api/monitoring.js';
import type { Feature } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import { resolveFeatureName } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { parseWindow } from './drift-service.js';

const TOP_VALUES = 10;

export class QualityService {
  constructor(
    private readonly registry: RegistryService,
    private readonly offline: OfflineStore,
  ) {}

  /** Quality of `features` (or every feature of `group`) in the window, with per-day counts. */
  async report(entity: string, selection: { features?: string[] | undefined; group?: string | undefined }, window: TimeWindow): Promise<QualityReport> {
    const { start, end } = parseWindow(window, '');
    const features = await this.select(entity, selection);
    const names = features.map((f) => f.name);
    const query = { entity, features: names, start, end };
    const [summaries, tops, daily, rowsByGroup] = await Promise.all([
      this.offline.summarize({ ...query, probabilities: [...QUANTILE_PROBABILITIES] }),
      this.offline.topValues({ ...query, limit: TOP_VALUES }),
      this.offline.daily(query),
      this.rowsPerGroup(entity, features, start, end),
    ]);
    const out: FeatureQuality[] = features.map((f, i) => {
      const s = summaries[i]!;
      const rows = f.feature_group ? (rowsByGroup.get(f.feature_group) ?? 0) : 0;
      const numeric = f.value_type === 'INT' || f.value_type === 'FLOAT';
      return {
        feature: f.name,
        feature_group: f.feature_group,
        value_type: f.value_type,
        count: s.count,
        rows,
        null_rate: rows > 0 ? Math.max(0, 1 - s.count / rows) : null,
        min: s.min,
        max: s.max,
        mean: s.mean,
        std: s.std,
        quantiles: Object.fromEntries(QUANTILE_LABELS.map((label, q) => [label, s.quantiles[q] ?? null])),
        distinct: s.distinct,
        top: numeric ? [] : tops[i]!.map((t) => ({ value: parseJson(t.value), count: t.count })),
      };
    });
    return {
      entity,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      features: out,
      daily: daily.map((d) => ({ feature: d.feature, day: d.day, count: d.count, mean: d.mean, min: d.min, max: d.max })),
    };
  }

  /** Rows of each group in the window (a row: a key and event time with any of the group's features). */
  async rowsPerGroup(entity: string, features: Feature[], start: number, end: number): Promise<Map<string, number>> {
    const groups = [...new Set(features.map((f) => f.feature_group).filter((g): g is string => g !== null))];
    const all = await this.registry.list('feature');
    const counts = await Promise.all(
      groups.map((g) => this.offline.countRows({ entity, features: all.filter((f) => f.feature_group === g).map((f) => f.name), start, end })),
    );
    return new Map(groups.map((g, i) => [g, counts[i]!]));
  }

  async select(entity: string, selection: { features?: string[] | undefined; group?: string | undefined }): Promise<Feature[]> {
    const all = (await this.registry.list('feature')).filter((f) => f.entity === entity);
    if (selection.features && selection.features.length > 0) {
      const missing: string[] = [];
      const picked = selection.features.flatMap((name) => {
        const f = resolveFeatureName(name, entity, (n) => all.find((x) => x.name === n));
        if (!f) missing.push(name);
        return f ? [f] : [];
      });
      if (missing.length > 0) throw new AppError('FSTORE_FEATURE_NOT_FOUND', `Entity '${entity}' has no feature named ${missing.map((m) => `'${m}'`).join(', ')}`);
      return picked;
    }
    if (selection.group) {
      const group = await this.registry.get('feature_group', selection.group);
      if (group.entity !== entity) throw new AppError('FSTORE_VALIDATION_FAILED', `Feature group '${group.name}' belongs to entity '${group.entity}', not '${entity}'`);
      return all.filter((f) => f.feature_group === selection.group);
    }
    if (!(await this.registry.find('entity', entity))) throw new AppError('FSTORE_ENTITY_NOT_FOUND', `Entity '${entity}' does not exist`);
    return all;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
