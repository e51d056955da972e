/**
 * The column plan of a batch: which staged column is the entity key, which the event time, and which
 * feature (existing, assigned to the group, or new with an inferred type) each other column feeds.
 * Planning reads the registry and the staged data, and writes nothing.
 */
import { explainInvalidName } from '@shared/domain/names.js';
import type { Entity, Feature, FeatureGroup } from '@shared/domain/schemas.js';
import type { ValidationRules } from '@shared/domain/validation-rules.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { AppError } from '../errors/app-error.js';
import { matchFeatureName } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { StagedColumn, StagedTable } from '../staging/staging-engine.js';
import { quoteIdent, typedExpr } from '../staging/typed-sql.js';

/** Which columns hold the entity key and event time, when the conventions are not what the user wants. */
export interface ColumnChoice {
  keyColumn?: string | undefined;
  /** A column name, or null to stamp values with the ingestion time. Undefined: conventions. */
  timeColumn?: string | null | undefined;
  /** Change an existing feature's value type (a new version) when its column no longer fits it. */
  evolveSchema?: boolean | undefined;
}

/** The event time column's conventional names, in order of preference. */
const TIME_COLUMNS = ['event_timestamp', 'timestamp'];

export interface ColumnPlan {
  column: StagedColumn;
  feature: string;
  valueType: ValueType;
  /** What must happen in the registry before the values are written. */
  registration: 'existing' | 'new' | 'assign';
  /** With evolveSchema: the feature's new value type, applied as a new version before writing. */
  retypeFrom?: ValueType;
  /** The feature's validation rules (existing features only). */
  rules?: ValidationRules | null | undefined;
}

export interface IngestPlan {
  entity: string;
  entityDoc: Entity | undefined;
  group: string;
  groupDoc: FeatureGroup | undefined;
  keyColumn: StagedColumn;
  timeColumn: StagedColumn | undefined;
  features: ColumnPlan[];
  warnings: string[];
}

export interface PlanOutcome {
  plan: IngestPlan | undefined;
  problems: string[];
  /** The entity key column's conventional names, for a dry run's choices. */
  keyCandidates: string[];
}

/** Plans and throws on problems (ingestion). */
export async function planColumns(registry: RegistryService, entity: string, group: string, staged: StagedTable, choice: ColumnChoice = {}): Promise<IngestPlan> {
  const { plan, problems } = await planOrExplain(registry, entity, group, staged, choice);
  if (problems.length > 0 || !plan) {
    throw new AppError('FSTORE_INGEST_REJECTED', `The batch was rejected: ${problems.join('; ')}`, { columns: problems });
  }
  return plan;
}

/** Plans the columns against the registry, collecting every problem instead of stopping at one. */
export async function planOrExplain(
  registry: RegistryService,
  entity: string,
  group: string,
  staged: StagedTable,
  choice: ColumnChoice,
  /** A dry run's warnings speak of what will happen, an ingestion's of what happened. */
  mode: 'dry run' | 'ingestion' = 'ingestion',
): Promise<PlanOutcome> {
  const warnings: string[] = [];
  const entityDoc = await registry.find('entity', entity);
  if (entityDoc?.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Entity '${entity}' is archived`);
  const groupDoc = await registry.find('feature_group', group);
  if (groupDoc?.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Feature group '${group}' is archived`);
  const problems: string[] = groupDoc && groupDoc.entity !== entity ? [`Feature group '${group}' belongs to entity '${groupDoc.entity}', not '${entity}'`] : [];

  const keyCandidates = [...new Set([entityDoc?.join_key ?? `${entity}_id`, 'entity_key', `${entity}_id`, 'id'])];
  const keyColumn = chooseKeyColumn(staged, choice, keyCandidates, problems);
  const timeColumn = chooseTimeColumn(staged, choice, keyColumn, problems, warnings);

  const features = await registry.list('feature', true);
  const byName = new Map(features.map((f) => [f.name, f]));
  const plans: ColumnPlan[] = [];
  const newColumns: { column: StagedColumn; feature: string }[] = [];
  for (const column of staged.columns) {
    if (column === keyColumn || column === timeColumn) continue;
    const invalid = explainInvalidName('feature', column.name);
    if (invalid) {
      problems.push(`column '${column.name}' ${invalid.replace(/^Feature name '[^']*' /, '')}`);
      continue;
    }
    const resolved = resolveColumn(column.name, entity, group, byName);
    if (typeof resolved === 'string') {
      problems.push(`column '${column.name}': ${resolved}`);
      continue;
    }
    if ('newFeature' in resolved) {
      if (resolved.newFeature !== column.name) {
        const owner = byName.get(column.name)!.entity;
        warnings.push(`Column '${column.name}' becomes new feature '${resolved.newFeature}': feature '${column.name}' belongs to entity '${owner}'`);
      }
      newColumns.push({ column, feature: resolved.newFeature });
      continue;
    }
    if (resolved.name !== column.name) {
      warnings.push(`Column '${column.name}' ${mode === 'dry run' ? 'will be' : 'was'} stored as feature '${resolved.name}'`);
    }
    plans.push({
      column,
      feature: resolved.name,
      valueType: resolved.value_type,
      registration: resolved.feature_group === null ? 'assign' : 'existing',
      rules: resolved.validation ?? null,
    });
  }
  if (choice.evolveSchema) await evolve(plans, staged, warnings);
  if (plans.length + newColumns.length === 0 && problems.length === 0) {
    problems.push('the data has no feature columns besides the entity key and event time');
  }
  if (newColumns.length > 0) {
    const inferred = await staged.inferTypes(newColumns.map((c) => c.column));
    for (const { column, feature } of newColumns) {
      const valueType = inferred.get(column.name) ?? null;
      if (valueType === null) {
        problems.push(`column '${column.name}' is new and empty, so its type cannot be inferred; register the feature first`);
        continue;
      }
      plans.push({ column, feature, valueType, registration: 'new' });
      if (!feature.startsWith(`${entity}_`)) {
        warnings.push(`New feature '${feature}' does not start with '${entity}_'; the entity prefix is recommended`);
      }
    }
  }
  problems.push(...explainSharedTargets(plans));
  if (!keyColumn) return { plan: undefined, problems, keyCandidates };
  return { plan: { entity, entityDoc, group, groupDoc, keyColumn, timeColumn, features: plans, warnings }, problems, keyCandidates };
}

function chooseKeyColumn(staged: StagedTable, choice: ColumnChoice, candidates: string[], problems: string[]): StagedColumn | undefined {
  if (choice.keyColumn !== undefined) {
    const chosen = staged.column(choice.keyColumn);
    if (!chosen) problems.push(`the chosen entity key column '${choice.keyColumn}' is not in the data`);
    return chosen;
  }
  const found = candidates.map((n) => staged.column(n)).find((c) => c !== undefined);
  if (!found) {
    problems.push(`No entity key column: expected one of ${candidates.map((n) => `'${n}'`).join(', ')}; found ${staged.columns.map((c) => `'${c.name}'`).join(', ')}`);
  }
  return found;
}

function chooseTimeColumn(staged: StagedTable, choice: ColumnChoice, keyColumn: StagedColumn | undefined, problems: string[], warnings: string[]): StagedColumn | undefined {
  if (choice.timeColumn === null) {
    warnings.push('Values are stamped with the ingestion time (no event time column chosen)');
    return undefined;
  }
  if (choice.timeColumn !== undefined) {
    const chosen = staged.column(choice.timeColumn);
    if (!chosen) problems.push(`the chosen event time column '${choice.timeColumn}' is not in the data`);
    else if (chosen === keyColumn) problems.push('the entity key and the event time cannot be the same column');
    return chosen;
  }
  const found = TIME_COLUMNS.map((n) => staged.column(n)).find((c) => c !== undefined);
  if (!found) warnings.push(`No event time column (${TIME_COLUMNS.join(' or ')}); values are stamped with the ingestion time`);
  return found;
}

/**
 * Schema evolution on request: an existing feature whose column does not fit its type is re-typed
 * to what the column's values are (the change is a new version of the feature, recorded at
 * registration). Columns that fit keep their type.
 */
async function evolve(plans: ColumnPlan[], staged: StagedTable, warnings: string[]): Promise<void> {
  const existing = plans.filter((p) => p.registration !== 'new');
  if (existing.length === 0) return;
  const misfits = await staged.connection.runAndReadAll(
    `SELECT ${existing
      .map((p, i) => `count(*) FILTER (WHERE ${quoteIdent(p.column.name)} IS NOT NULL AND ${typedExpr(quoteIdent(p.column.name), p.column.kind, p.valueType)} IS NULL) AS misfits_${i}`)
      .join(', ')} FROM src`,
  );
  const row = misfits.getRowObjectsJS()[0] ?? {};
  const changed = existing.filter((_, i) => Number(row[`misfits_${i}`] ?? 0) > 0);
  if (changed.length === 0) return;
  const inferred = await staged.inferTypes(changed.map((p) => p.column));
  for (const p of changed) {
    const next = inferred.get(p.column.name);
    if (!next || next === p.valueType) continue;
    warnings.push(`Feature '${p.feature}' changes from ${p.valueType} to ${next} (evolve_schema); a new version records it`);
    p.retypeFrom = p.valueType;
    p.valueType = next;
  }
}

/**
 * Maps a column to a feature of this entity by ADR 0003's rule (`matchFeatureName`): the exact
 * name, else `<entity>_<column>` (so a CSV column `idade` feeds the registered `usuario_idade`).
 * When the bare name is a feature of another entity (generic names such as `amount` collide across
 * teams), the column is this entity's `<entity>_<column>`: the existing one, or a new feature of
 * that name. Returns an explanation when the column names a feature that cannot take these values,
 * or the new feature's name.
 */
function resolveColumn(column: string, entity: string, group: string, byName: Map<string, Feature>): Feature | string | { newFeature: string } {
  // A prefixed feature takes the column only when it could store it; the exact name always wins.
  const match = matchFeatureName(column, entity, (n) => byName.get(n), (f) => f.status !== 'archived' && (f.feature_group === null || f.feature_group === group));
  switch (match.kind) {
    case 'exact':
      return usable(match.feature, entity, group);
    case 'prefixed':
      return match.feature;
    case 'none':
      return { newFeature: column };
    case 'other_entity': {
      // The bare name is another entity's: only the prefixed name is this entity's.
      if (match.prefixed) return usable(match.prefixed, entity, group);
      const invalid = explainInvalidName('feature', match.prefixedName);
      if (invalid) return `feature '${column}' belongs to entity '${match.owner.entity}' and ${invalid.replace(/^Feature name /, 'the prefixed name ')}; rename the column`;
      return { newFeature: match.prefixedName };
    }
  }
}

/** Two columns feeding one feature (`idade` and `usuario_idade`, say) would overwrite each other's values. */
function explainSharedTargets(plans: ColumnPlan[]): string[] {
  const columnsOf = new Map<string, string[]>();
  for (const p of plans) columnsOf.set(p.feature, [...(columnsOf.get(p.feature) ?? []), p.column.name]);
  return [...columnsOf]
    .filter(([, columns]) => columns.length > 1)
    .map(([feature, columns]) => `columns ${columns.map((c) => `'${c}'`).join(' and ')} would all be stored as feature '${feature}'; keep one`);
}

function usable(feature: Feature, entity: string, group: string): Feature | string {
  if (feature.status === 'archived') return `feature '${feature.name}' is archived`;
  if (feature.entity !== entity) return `feature '${feature.name}' belongs to entity '${feature.entity}'`;
  if (feature.feature_group !== null && feature.feature_group !== group) {
    return `feature '${feature.name}' is stored in group '${feature.feature_group}'; ingest it there or rename the column`;
  }
  return feature;
}
