/**
 * Definitions as code: export the authored registry as a bundle, plan a bundle against the registry
 * (what would be created, changed, restored or archived, field by field, with impact), and apply it
 * as new versions. Objects a transform computes (its group and features) are not authored: the
 * transform is, and publishing it keeps them in step.
 */
import { Value } from 'typebox/value';
import type { ApplyResult, DefinitionBundle, DefinitionKind, DefinitionPlan, LintWarning, PlannedChange } from '@shared/api/definitions.js';
import { DEFINITION_KINDS } from '@shared/api/definitions.js';
import { diffDefinitions } from '@shared/domain/diff.js';
import { jsonValueProblem } from '@shared/domain/json-value.js';
import { lintNames } from '@shared/domain/naming-lint.js';
import {
  DataSourceInput,
  EntityInput,
  FeatureGroupInput,
  FeatureInput,
  FeatureServiceInput,
  TransformInput,
  type DataSourceUpdate,
  type EntityUpdate,
  type FeatureGroupUpdate,
  type FeatureServiceUpdate,
  type FeatureUpdate,
  type Feature,
  type FeatureGroup,
  type KindMap,
} from '@shared/domain/schemas.js';
import type { TSchema } from 'typebox';
import { AppError } from '../errors/app-error.js';
import { resolveServiceFeatures } from '../registry/feature-service-features.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { DataSourceService } from '../transforms/data-source-service.js';
import { downstreamOf } from '../transforms/lineage.js';
import type { TransformService } from '../transforms/transform-service.js';
import { BUNDLE_KEY, FIELDS, IMMUTABLE, normalize } from './definition-fields.js';

const INPUT_SCHEMA: Record<DefinitionKind, TSchema> = {
  entity: EntityInput,
  feature_group: FeatureGroupInput,
  feature: FeatureInput,
  data_source: DataSourceInput,
  transform: TransformInput,
  feature_service: FeatureServiceInput,
};

type Current = Record<string, unknown> & { name: string; version: number; status: string };

interface Step {
  change: PlannedChange;
  desired: Record<string, unknown> | undefined;
  /** As written (transform fields left out mean "as resolved when published"). */
  raw: Record<string, unknown> | undefined;
}

export class DefinitionsService {
  constructor(private readonly deps: { registry: RegistryService; dataSources: DataSourceService; transforms: TransformService }) {}

  async export(): Promise<DefinitionBundle> {
    const { registry } = this.deps;
    const groups = await registry.list('feature_group');
    const derivedGroups = new Set(groups.filter((g) => g.transform).map((g) => g.name));
    const bundle: Required<DefinitionBundle> = { entities: [], feature_groups: [], features: [], data_sources: [], transforms: [], feature_services: [] };
    for (const kind of DEFINITION_KINDS) {
      for (const doc of await registry.list(kind)) {
        if (kind === 'feature_group' && derivedGroups.has(doc.name)) continue;
        if (kind === 'feature' && derivedGroups.has(String((doc as KindMap['feature']).feature_group))) continue;
        bundle[BUNDLE_KEY[kind]].push(withoutDefaults(kind, await this.authored(kind, doc as unknown as Current, groups)));
      }
    }
    return bundle;
  }

  async plan(bundle: DefinitionBundle, prune = false): Promise<DefinitionPlan> {
    return summarize((await this.steps(bundle, prune)).map((s) => s.change), await this.lint(bundle));
  }

  async apply(bundle: DefinitionBundle, prune: boolean, actor: string): Promise<ApplyResult> {
    const steps = await this.steps(bundle, prune);
    const plan = summarize(steps.map((s) => s.change), await this.lint(bundle));
    const applied: ApplyResult['applied'] = [];
    // Creates and updates parents first; archives children first.
    const writes = steps.filter((s) => ['create', 'update', 'restore'].includes(s.change.action));
    const archives = steps.filter((s) => s.change.action === 'archive').reverse();
    for (const step of [...writes, ...archives]) {
      const version = await this.execute(step, actor);
      applied.push({ kind: step.change.kind, name: step.change.name, action: step.change.action, version });
    }
    return { plan, applied };
  }

  private async steps(bundle: DefinitionBundle, prune: boolean): Promise<Step[]> {
    refuseUnstorableObjects(bundle);
    const { registry } = this.deps;
    const groups = await registry.list('feature_group', true);
    const derived = new Set(groups.filter((g) => g.transform).map((g) => g.name));
    const entities = new Map((await registry.list('entity', true)).map((e) => [e.name, e.join_key]));
    for (const e of bundle.entities ?? []) entities.set(String(e['name']), String(e['join_key'] ?? `${String(e['name'])}_id`));
    const steps: Step[] = [];
    const problems: { path: string; message: string }[] = [];
    let candidates: { features: Feature[]; groups: FeatureGroup[] } | undefined;
    for (const kind of DEFINITION_KINDS) {
      const listed = bundle[BUNDLE_KEY[kind]] ?? [];
      const seen = new Set<string>();
      for (const [index, raw] of listed.entries()) {
        const path = `/${BUNDLE_KEY[kind]}/${index}`;
        const errors = [...Value.Errors(INPUT_SCHEMA[kind], raw)].slice(0, 3);
        if (errors.length > 0) {
          for (const e of errors) problems.push({ path: `${path}${e.instancePath}`, message: `${kind} '${String(raw['name'] ?? index)}': ${e.message}` });
          continue;
        }
        const name = String(raw['name']);
        if (seen.has(name)) problems.push({ path, message: `${kind} '${name}' is listed twice` });
        seen.add(name);
        const current = (await registry.find(kind, name)) as unknown as Current | undefined;
        const desired = normalize(kind, raw, { joinKeyOf: (e) => entities.get(e) ?? `${e}_id` });
        if (kind === 'feature_service') {
          try {
            candidates ??= await this.servableCandidates(bundle);
            desired['features'] = resolveServiceFeatures(desired['features'] as string[], candidates.features, candidates.groups).features;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            problems.push({ path: `${path}/features`, message: `feature_service '${name}': ${err.message}` });
            continue;
          }
        }
        if (kind === 'transform' && raw['event_time_column'] === undefined && current) desired['event_time_column'] = current['event_time_column'] ?? null;
        const before = current ? await this.authored(kind, current, groups) : undefined;
        for (const field of IMMUTABLE[kind]) {
          if (before && before[field] !== desired[field]) {
            problems.push({ path: `${path}/${field}`, message: `${kind} '${name}': ${field} cannot change ('${String(before[field])}' -> '${String(desired[field])}'); archive it and define a new one` });
          }
        }
        const changes = diffDefinitions(before ?? {}, desired);
        const action = !current ? 'create' : current.status === 'archived' ? 'restore' : changes.length > 0 ? 'update' : 'unchanged';
        steps.push({ change: await this.describe(kind, name, action, current, changes), desired, raw });
      }
      for (const doc of (await registry.list(kind)) as unknown as Current[]) {
        if (seen.has(doc.name)) continue;
        if (kind === 'feature_group' && derived.has(doc.name)) continue;
        if (kind === 'feature' && derived.has(String(doc['feature_group']))) continue;
        steps.push({ change: await this.describe(kind, doc.name, prune ? 'archive' : 'not_listed', doc, prune ? [{ field: 'status', before: 'active', after: 'archived' }] : []), desired: undefined, raw: undefined });
      }
    }
    if (problems.length > 0) throw new AppError('FSTORE_VALIDATION_FAILED', `The definitions are invalid: ${problems.map((p) => p.message).join('; ')}`, problems);
    return steps;
  }

  private async describe(kind: DefinitionKind, name: string, action: PlannedChange['action'], current: Current | undefined, changes: PlannedChange['changes']): Promise<PlannedChange> {
    const reasons: string[] = [];
    const changed = (field: string) => changes.find((c) => c.field === field);
    if (action === 'archive') reasons.push(`${kind} '${name}' is removed (archived)`);
    if (kind === 'feature' && changed('value_type')) reasons.push(`value type ${String(changed('value_type')!.before)} -> ${String(changed('value_type')!.after)}`);
    if (kind === 'feature' && changed('feature_group') && current) reasons.push('moves to another feature group: its history stays in the old one');
    if (kind === 'entity' && changed('join_key') && current) reasons.push('the join key changes: ingestion looks for another column');
    if (kind === 'feature_group' && changed('ttl_seconds') && current) reasons.push('the TTL changes what online serving and training return');
    if (kind === 'transform' && changed('feature_group') && current) reasons.push('the transform writes another feature group');
    const dependents = current && action !== 'create' && action !== 'unchanged' ? await downstreamOf(this.deps.registry, kind, name) : [];
    const services = dependents.filter((d) => d.kind === 'feature_service').map((d) => d.name);
    if (kind === 'feature' && action === 'archive' && services.length > 0) {
      reasons.push(`still served by feature service ${services.map((n) => `'${n}'`).join(', ')}: remove it from those in the same change`);
    }
    const recompute: string[] = [];
    if (action !== 'unchanged' && action !== 'not_listed' && action !== 'archive') {
      if (kind === 'transform') recompute.push(name);
      for (const d of dependents) if (d.kind === 'transform' && !recompute.includes(d.name)) recompute.push(d.name);
    }
    return { kind, name, action, version_before: current?.version ?? null, changes, breaking: reasons.length > 0, reasons, dependents, recompute, feature_services: services };
  }

  /**
   * The features and groups a service of the bundle may name: the registry's active ones, with the
   * bundle's own in their place (not yet created, or about to change group).
   */
  private async servableCandidates(bundle: DefinitionBundle): Promise<{ features: Feature[]; groups: FeatureGroup[] }> {
    const { registry } = this.deps;
    const overlay = <T extends { name: string }>(stored: T[], listed: Record<string, unknown>[], fill: (raw: Record<string, unknown>) => T) => {
      const byName = new Map(stored.map((d) => [d.name, d]));
      for (const raw of listed) byName.set(String(raw['name']), fill(raw));
      return [...byName.values()];
    };
    const features = overlay(await registry.list('feature'), bundle.features ?? [], (raw) => ({
      ...(raw as unknown as Feature),
      feature_group: (raw['feature_group'] as string | undefined) ?? null,
      status: 'active' as const,
    }));
    const groups = overlay(await registry.list('feature_group'), bundle.feature_groups ?? [], (raw) => ({ ...(raw as unknown as FeatureGroup), status: 'active' as const }));
    // A transform's group: named by the transform (defaulting to its name), of its entity.
    for (const t of bundle.transforms ?? []) {
      const name = String(t['feature_group'] ?? t['name']);
      if (!groups.some((g) => g.name === name)) groups.push({ name, entity: String(t['entity']), status: 'active' } as FeatureGroup);
    }
    return { features, groups };
  }

  /** The authored fields of a stored object (transforms also carry their group's TTL and online). */
  private async authored(kind: DefinitionKind, doc: Current, groups: KindMap['feature_group'][]): Promise<Record<string, unknown>> {
    const raw: Record<string, unknown> = { ...doc };
    if (kind === 'transform') {
      const group = groups.find((g) => g.name === doc['feature_group']);
      raw['ttl_seconds'] = group?.ttl_seconds ?? null;
      raw['online'] = group?.online ?? true;
    }
    return Object.fromEntries(FIELDS[kind].map((f) => [f, raw[f] === undefined ? null : raw[f]]));
  }

  private async execute(step: Step, actor: string): Promise<number | null> {
    const { registry, dataSources, transforms } = this.deps;
    const { kind, name, action } = step.change;
    if (action === 'archive') return (await registry.archive(kind, name, actor)).version;
    if (action === 'restore') await registry.restore(kind, name, actor);
    const d = step.desired!;
    const strip = (obj: Record<string, unknown>, ...fields: string[]) => Object.fromEntries(Object.entries(obj).filter(([k]) => !fields.includes(k)));
    const create = action === 'create';
    switch (kind) {
      case 'entity':
        return (create ? await registry.createEntity(d as EntityInput, actor) : await registry.updateEntity(name, strip(d, 'name') as EntityUpdate, actor)).version;
      case 'feature_group':
        return (create ? await registry.createFeatureGroup(d as FeatureGroupInput, actor) : await registry.updateFeatureGroup(name, strip(d, 'name', 'entity') as FeatureGroupUpdate, actor)).version;
      case 'feature':
        return (create ? await registry.createFeature(d as FeatureInput, actor) : await registry.updateFeature(name, strip(d, 'name', 'entity') as FeatureUpdate, actor)).version;
      case 'data_source': {
        const input = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== null)) as DataSourceInput;
        return (create ? await dataSources.create(input, actor) : await dataSources.update(name, strip(input, 'name', 'type') as DataSourceUpdate, actor)).version;
      }
      case 'transform': {
        const raw = step.raw!;
        const input = Object.fromEntries(
          Object.entries(d).filter(([k, v]) => v !== null || (k === 'event_time_column' && raw['event_time_column'] === null) || k === 'ttl_seconds'),
        ) as TransformInput;
        if (raw['event_time_column'] === undefined && create) delete (input as Partial<TransformInput>).event_time_column;
        return (await transforms.publish(input, actor, create ? 'create' : 'update')).version;
      }
      case 'feature_service':
        return (create ? await registry.createFeatureService(d as FeatureServiceInput, actor) : await registry.updateFeatureService(name, strip(d, 'name') as FeatureServiceUpdate, actor)).version;
    }
  }

  private async lint(bundle: DefinitionBundle): Promise<LintWarning[]> {
    const warnings: LintWarning[] = [];
    for (const kind of DEFINITION_KINDS) {
      for (const raw of bundle[BUNDLE_KEY[kind]] ?? []) {
        const name = String(raw['name'] ?? '');
        const hints = lintNames({
          kind,
          name,
          entity: typeof raw['entity'] === 'string' ? raw['entity'] : undefined,
          description: typeof raw['description'] === 'string' ? raw['description'] : undefined,
          tags: Array.isArray(raw['tags']) ? (raw['tags'] as string[]) : undefined,
        });
        for (const h of hints) warnings.push({ kind, name, rule: h.rule, message: h.message });
      }
    }
    return warnings;
  }
}

/**
 * Fields holding their default (null, an empty text or list) are left out of files, which stay
 * short; the plan fills defaults back in. Except a transform's event_time_column, where null
 * ("stamp with the run time") differs from absent ("the conventions").
 */
function withoutDefaults(kind: DefinitionKind, authored: Record<string, unknown>): Record<string, unknown> {
  const isDefault = (value: unknown) => value === null || value === '' || (Array.isArray(value) && value.length === 0);
  return Object.fromEntries(Object.entries(authored).filter(([field, value]) => !isDefault(value) || (kind === 'transform' && field === 'event_time_column')));
}

function summarize(changes: PlannedChange[], warnings: LintWarning[]): DefinitionPlan {
  const summary: Record<string, number> = {};
  for (const c of changes) summary[c.action] = (summary[c.action] ?? 0) + 1;
  return { changes, summary, breaking: changes.some((c) => c.breaking), warnings };
}

/**
 * Refuses a bundle object no store can keep before anything reads it: naming or diffing a value
 * nested past the depth limit (`String` of a 100,000-deep array) overflows the stack, a 500 instead
 * of a 400, and text that is not Unicode is stored differently by each registry backend.
 */
function refuseUnstorableObjects(bundle: DefinitionBundle): void {
  const problems: { path: string; message: string }[] = [];
  for (const kind of DEFINITION_KINDS) {
    for (const [index, raw] of (bundle[BUNDLE_KEY[kind]] ?? []).entries()) {
      const problem = jsonValueProblem(raw);
      if (problem) problems.push({ path: `/${BUNDLE_KEY[kind]}/${index}`, message: `${kind} ${index + 1}: ${problem}` });
    }
  }
  if (problems.length > 0) throw new AppError('FSTORE_VALIDATION_FAILED', `The definitions are invalid: ${problems.map((p) => p.message).join('; ')}`, problems);
}
