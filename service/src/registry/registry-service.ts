import { randomUUID } from 'node:crypto';
import { diffDefinitions, summarizeChanges } from '@shared/domain/diff.js';
import { entityPrefixWarning, explainInvalidName, type RegistryKind } from '@shared/domain/names.js';
import type {
  AuditEvent,
  Entity,
  EntityInput,
  EntityUpdate,
  Feature,
  FeatureGroup,
  FeatureGroupInput,
  FeatureGroupUpdate,
  FeatureGroupView,
  FeatureInput,
  FeatureService,
  FeatureServiceInput,
  FeatureServiceUpdate,
  FeatureUpdate,
  Deprecation,
  KindMap,
  VersionDiff,
  VersionRecord,
} from '@shared/domain/schemas.js';
import { STORED_FIELD_NAMES } from '@shared/domain/schemas.js';
import { defaultFeatureType, explainTypeMismatch, type ValueType } from '@shared/domain/value-types.js';
import { explainRulesProblem, type ValidationRules } from '@shared/domain/validation-rules.js';
import type { ErrorCode } from '@shared/errors.js';
import { AppError, ConflictError } from '../errors/app-error.js';
import type { AuditFilter, RegistryStore, StoredDoc } from '../storage/registry-store.js';
import { resolveServiceFeatures } from './feature-service-features.js';

export type WithWarnings<T> = T & { warnings: string[] };

const NOT_FOUND: Record<RegistryKind, ErrorCode> = {
  entity: 'FSTORE_ENTITY_NOT_FOUND',
  feature_group: 'FSTORE_FEATURE_GROUP_NOT_FOUND',
  feature: 'FSTORE_FEATURE_NOT_FOUND',
  data_source: 'FSTORE_DATA_SOURCE_NOT_FOUND',
  transform: 'FSTORE_TRANSFORM_NOT_FOUND',
  feature_service: 'FSTORE_FEATURE_SERVICE_NOT_FOUND',
};
const LABEL: Record<RegistryKind, string> = {
  entity: 'Entity',
  feature_group: 'Feature group',
  feature: 'Feature',
  data_source: 'Data source',
  transform: 'Transform',
  feature_service: 'Feature service',
};

type Action = VersionRecord['action'];

/**
 * Registry rules: validation, defaults, immutable versions, diffs and audit. Storage is behind
 * RegistryStore; every change goes through `commit`, which is atomic and optimistic.
 */
/**
 * How long a listed kind is reused. Serving resolves names against the feature and group lists on
 * every request; re-reading them each time dominated online latency. This instance's own changes
 * invalidate at once; another replica's (a shared MongoDB registry) are seen within this bound.
 */
const LIST_CACHE_MS = 1000;

export class RegistryService {
  private readonly lists = new Map<RegistryKind, { at: number; docs: Promise<StoredDoc[]> }>();
  // Derived from one read of a list; dropped with it (keyed by the array the store returned).
  private readonly sortedLists = new WeakMap<StoredDoc[], { all: StoredDoc[]; active: StoredDoc[] }>();
  private readonly featureIndex = new WeakMap<StoredDoc[], Map<string, Map<string, Feature>>>();
  private readonly groupIndex = new WeakMap<StoredDoc[], Map<string, FeatureGroup>>();
  private readonly entityIndex = new WeakMap<StoredDoc[], Map<string, Entity>>();
  private readonly serviceIndex = new WeakMap<StoredDoc[], Map<string, FeatureService>>();
  private generation: { entities: StoredDoc[]; features: StoredDoc[]; groups: StoredDoc[]; token: object } | undefined;
  /** Called after each commit of this instance (kept or refused): the serving workers drop their lists (cluster/). */
  onChange: ((kind: RegistryKind) => void) | undefined = undefined;

  constructor(
    private readonly store: RegistryStore,
    /** Most features a group may hold (maxGroupFeatures): each is a column of its offline table. */
    private readonly maxGroupFeatures = Number.POSITIVE_INFINITY,
  ) {}

  private listStored(kind: RegistryKind): Promise<StoredDoc[]> {
    const now = Date.now();
    const cached = this.lists.get(kind);
    if (cached && now - cached.at < LIST_CACHE_MS) return cached.docs;
    const docs = this.store.list(kind);
    this.lists.set(kind, { at: now, docs });
    // A failed read is not cached.
    docs.catch(() => this.lists.delete(kind));
    return docs;
  }

  /** Forgets the listed kinds, so the next read sees the store: another process committed a change. */
  invalidate(): void {
    this.lists.clear();
  }

  // ---- generic reads ----
  async get<K extends RegistryKind>(kind: K, name: string): Promise<KindMap[K]> {
    const doc = await this.store.get(kind, name);
    if (!doc) throw new AppError(NOT_FOUND[kind], `${LABEL[kind]} '${name}' does not exist`);
    return doc as unknown as KindMap[K];
  }

  async find<K extends RegistryKind>(kind: K, name: string): Promise<KindMap[K] | undefined> {
    return (await this.store.get(kind, name)) as unknown as KindMap[K] | undefined;
  }

  async list<K extends RegistryKind>(kind: K, includeArchived = false): Promise<KindMap[K][]> {
    const docs = await this.listStored(kind);
    let sorted = this.sortedLists.get(docs);
    if (!sorted) {
      const all = [...docs].sort((a, b) => a.name.localeCompare(b.name));
      sorted = { all, active: all.filter((d) => d.status !== 'archived') };
      this.sortedLists.set(docs, sorted);
    }
    // A copy: callers may sort or splice what they get.
    return [...(includeArchived ? sorted.all : sorted.active)] as unknown as KindMap[K][];
  }

  /**
   * A token that changes whenever the entities, features or feature groups may have changed (each
   * re-read of their lists, at most once a second): what serving keys its per-request plans on.
   */
  async servingGeneration(): Promise<object> {
    const [entities, features, groups] = await Promise.all([this.listStored('entity'), this.listStored('feature'), this.listStored('feature_group')]);
    const last = this.generation;
    if (last && last.entities === entities && last.features === features && last.groups === groups) return last.token;
    this.generation = { entities, features, groups, token: {} };
    return this.generation.token;
  }

  /**
   * The entity (any status), its active features by name and the active feature groups by name, for serving's name
   * resolution on every request; rebuilt only when the underlying lists are re-read.
   */
  async servingIndex(entity: string): Promise<{ entity: Entity | undefined; features: ReadonlyMap<string, Feature>; groups: ReadonlyMap<string, FeatureGroup> }> {
    const [entities, features, groups] = await Promise.all([this.listStored('entity'), this.listStored('feature'), this.listStored('feature_group')]);
    let byEntity = this.featureIndex.get(features);
    if (!byEntity) {
      byEntity = new Map();
      for (const f of features as unknown as Feature[]) {
        if (f.status === 'archived') continue;
        let names = byEntity.get(f.entity);
        if (!names) byEntity.set(f.entity, (names = new Map()));
        names.set(f.name, f);
      }
      this.featureIndex.set(features, byEntity);
    }
    let groupIndex = this.groupIndex.get(groups);
    if (!groupIndex) {
      groupIndex = new Map((groups as unknown as FeatureGroup[]).filter((g) => g.status !== 'archived').map((g) => [g.name, g]));
      this.groupIndex.set(groups, groupIndex);
    }
    let entityIndex = this.entityIndex.get(entities);
    if (!entityIndex) {
      entityIndex = new Map((entities as unknown as Entity[]).map((e) => [e.name, e]));
      this.entityIndex.set(entities, entityIndex);
    }
    return { entity: entityIndex.get(entity), features: byEntity.get(entity) ?? new Map(), groups: groupIndex };
  }

  /**
   * A feature service by name (any status) for serving: from the listed kind, so an online request
   * that names a service costs no registry round trip.
   */
  async servingFeatureService(name: string): Promise<FeatureService | undefined> {
    const docs = await this.listStored('feature_service');
    let index = this.serviceIndex.get(docs);
    if (!index) {
      index = new Map((docs as unknown as FeatureService[]).map((d) => [d.name, d]));
      this.serviceIndex.set(docs, index);
    }
    return index.get(name);
  }

  async versions(kind: RegistryKind, name: string): Promise<VersionRecord[]> {
    await this.get(kind, name);
    return this.store.listVersions(kind, name);
  }

  async version(kind: RegistryKind, name: string, version: number): Promise<VersionRecord> {
    await this.get(kind, name);
    const record = await this.store.getVersion(kind, name, version);
    if (!record) {
      throw new AppError('FSTORE_VERSION_NOT_FOUND', `${LABEL[kind]} '${name}' has no version ${version}`);
    }
    return record;
  }

  async diff(kind: RegistryKind, name: string, from: number, to: number): Promise<VersionDiff> {
    const [a, b] = await Promise.all([this.version(kind, name, from), this.version(kind, name, to)]);
    return { kind, name, from, to, changes: diffDefinitions(a.definition, b.definition) };
  }

  audit(filter: AuditFilter): Promise<AuditEvent[]> {
    return this.store.listAudit(filter);
  }

  /** An operation that is not a registry change (ingestion, a run, an alert acknowledgement). */
  recordAudit(event: AuditEvent): Promise<void> {
    return this.store.recordAudit(event);
  }

  // ---- entities ----
  async createEntity(input: EntityInput, actor: string): Promise<WithWarnings<Entity>> {
    assertName('entity', input.name);
    if (input.join_key !== undefined) assertColumnName('join_key', input.join_key);
    const definition = {
      name: input.name,
      join_key: input.join_key ?? `${input.name}_id`,
      description: input.description ?? '',
      tags: normalizeTags(input.tags),
    };
    return { ...(await this.commitNew('entity', definition, actor)), warnings: [] };
  }

  async updateEntity(name: string, update: EntityUpdate, actor: string, expectedVersion?: number): Promise<WithWarnings<Entity>> {
    if (update.join_key !== undefined) assertColumnName('join_key', update.join_key);
    return this.commitUpdate('entity', name, (current) => ({
      ...current,
      ...defined({ join_key: update.join_key, description: update.description }),
      ...(update.tags ? { tags: normalizeTags(update.tags) } : {}),
    }), actor, expectedVersion);
  }

  /** Creates the entity with default settings when it does not exist (documented in the README). */
  async ensureEntity(name: string, actor: string, warnings: string[]): Promise<Entity> {
    const existing = await this.find('entity', name);
    if (existing) {
      if (existing.status === 'archived') {
        throw new AppError('FSTORE_ARCHIVED', `Entity '${name}' is archived; restore it before adding to it`);
      }
      return existing;
    }
    try {
      const created = await this.createEntity({ name }, actor);
      warnings.push(`Entity '${name}' did not exist and was created with join key '${created.join_key}'`);
      return created;
    } catch (err) {
      // Another request created it meanwhile: use theirs.
      if (err instanceof AppError && err.code === 'FSTORE_ALREADY_EXISTS') return this.get('entity', name);
      throw err;
    }
  }

  // ---- feature groups ----
  async createFeatureGroup(input: FeatureGroupInput, actor: string): Promise<WithWarnings<FeatureGroupView>> {
    assertName('feature_group', input.name);
    assertName('entity', input.entity);
    await this.assertAbsent('feature_group', input.name);
    const warnings: string[] = [];
    await this.ensureEntity(input.entity, actor, warnings);
    const definition = {
      name: input.name,
      entity: input.entity,
      description: input.description ?? '',
      owner: input.owner ?? '',
      tags: normalizeTags(input.tags),
      source: input.source ?? null,
      ttl_seconds: input.ttl_seconds ?? null,
      online: input.online ?? true,
    };
    const group = await this.commitNew('feature_group', definition, actor);
    return { ...(await this.groupView(group)), warnings };
  }

  async updateFeatureGroup(
    name: string,
    update: FeatureGroupUpdate,
    actor: string,
    expectedVersion?: number,
  ): Promise<WithWarnings<FeatureGroupView>> {
    const group = await this.commitUpdate('feature_group', name, (current) => ({
      ...current,
      ...defined({
        description: update.description,
        owner: update.owner,
        source: update.source,
        ttl_seconds: update.ttl_seconds,
        online: update.online,
      }),
      ...(update.tags ? { tags: normalizeTags(update.tags) } : {}),
    }), actor, expectedVersion);
    return { ...(await this.groupView(group)), warnings: group.warnings };
  }

  async groupView(group: FeatureGroup): Promise<FeatureGroupView> {
    const features = (await this.list('feature')).filter((f) => f.feature_group === group.name).map((f) => f.name);
    return { ...stripExtras(group), features };
  }

  // ---- features ----
  async createFeature(input: FeatureInput, actor: string): Promise<WithWarnings<Feature>> {
    assertName('feature', input.name);
    assertName('entity', input.entity);
    const featureType = input.feature_type ?? defaultFeatureType(input.value_type);
    const mismatch = explainTypeMismatch(featureType, input.value_type);
    if (mismatch) throw new AppError('FSTORE_VALIDATION_FAILED', mismatch, [{ path: '/feature_type', message: mismatch }]);
    assertRules(input.validation ?? null, input.value_type);
    // Everything is checked before the entity may be auto-created, so a rejected request writes nothing.
    const group = input.feature_group ?? null;
    if (group !== null) {
      await this.assertGroupOfEntity(group, input.entity);
      await this.assertGroupHasRoom(group, 1);
    }
    await this.assertAbsent('feature', input.name);
    const warnings: string[] = [];
    await this.ensureEntity(input.entity, actor, warnings);
    const prefix = entityPrefixWarning(input.name, input.entity);
    if (prefix) warnings.push(prefix);
    const definition = {
      name: input.name,
      description: input.description ?? '',
      feature_type: featureType,
      value_type: input.value_type,
      entity: input.entity,
      feature_group: group,
      tags: normalizeTags(input.tags),
      source: input.source ?? null,
      owner: input.owner ?? '',
      validation: input.validation ?? null,
    };
    const created = await this.commitNew('feature', definition, actor);
    return { ...created, warnings };
  }

  async updateFeature(name: string, update: FeatureUpdate, actor: string, expectedVersion?: number): Promise<WithWarnings<Feature>> {
    const current = await this.get('feature', name);
    if (update.feature_group !== undefined && update.feature_group !== null && update.feature_group !== current.feature_group) {
      await this.assertGroupOfEntity(update.feature_group, current.entity);
      await this.assertGroupHasRoom(update.feature_group, 1);
    }
    return this.commitUpdate('feature', name, (doc) => {
      const next = {
        ...doc,
        ...defined({
          description: update.description,
          feature_type: update.feature_type,
          value_type: update.value_type,
          feature_group: update.feature_group,
          source: update.source,
          owner: update.owner,
          validation: update.validation,
        }),
        ...(update.tags ? { tags: normalizeTags(update.tags) } : {}),
      };
      const mismatch = explainTypeMismatch(next.feature_type, next.value_type);
      if (mismatch) throw new AppError('FSTORE_VALIDATION_FAILED', mismatch, [{ path: '/feature_type', message: mismatch }]);
      assertRules(next.validation ?? null, next.value_type);
      return next;
    }, actor, expectedVersion);
  }

  // ---- feature services ----
  async createFeatureService(input: FeatureServiceInput, actor: string): Promise<WithWarnings<FeatureService>> {
    assertName('feature_service', input.name);
    const resolved = await this.resolveServiceFeatures(input.features);
    const definition = {
      name: input.name,
      description: input.description ?? '',
      owner: input.owner ?? '',
      tags: normalizeTags(input.tags),
      entity: resolved.entity,
      features: resolved.features,
    };
    return { ...(await this.commitNew('feature_service', definition, actor)), warnings: resolved.warnings };
  }

  async updateFeatureService(name: string, update: FeatureServiceUpdate, actor: string, expectedVersion?: number): Promise<WithWarnings<FeatureService>> {
    await this.get('feature_service', name);
    const resolved = update.features ? await this.resolveServiceFeatures(update.features) : undefined;
    const saved = await this.commitUpdate('feature_service', name, (current) => ({
      ...current,
      ...defined({ description: update.description, owner: update.owner }),
      ...(update.tags ? { tags: normalizeTags(update.tags) } : {}),
      ...(resolved ? { entity: resolved.entity, features: resolved.features } : {}),
    }), actor, expectedVersion);
    return { ...saved, warnings: [...saved.warnings, ...(resolved?.warnings ?? [])] };
  }

  private async resolveServiceFeatures(references: string[]): Promise<ReturnType<typeof resolveServiceFeatures>> {
    const [features, groups] = await Promise.all([this.list('feature'), this.list('feature_group')]);
    return resolveServiceFeatures(references, features, groups);
  }

  // ---- kinds whose rules live in their own services (data sources, transforms) ----
  /** Stores a new object from a complete, already validated definition. */
  async createDefinition<K extends RegistryKind>(kind: K, definition: Record<string, unknown>, actor: string): Promise<KindMap[K]> {
    assertName(kind, definition['name'] as string);
    return this.commitNew(kind, definition, actor);
  }

  /** Replaces an object's definition with a complete, already validated one (a new version if anything changed). */
  async replaceDefinition<K extends RegistryKind>(
    kind: K,
    name: string,
    definition: Record<string, unknown>,
    actor: string,
    expectedVersion?: number,
  ): Promise<WithWarnings<KindMap[K]>> {
    return this.commitUpdate(kind, name, (current) => ({ ...definition, name, status: current.status }), actor, expectedVersion);
  }

  // ---- lifecycle ----
  async archive<K extends RegistryKind>(kind: K, name: string, actor: string): Promise<KindMap[K]> {
    const current = await this.get(kind, name);
    if (current.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `${LABEL[kind]} '${name}' is already archived`);
    if (kind === 'entity' || kind === 'feature_group') {
      const field = kind === 'entity' ? 'entity' : 'feature_group';
      const dependents = (await this.list('feature')).filter((f) => f[field] === name).map((f) => f.name);
      const groups = kind === 'entity' ? (await this.list('feature_group')).filter((g) => g.entity === name).map((g) => g.name) : [];
      if (dependents.length + groups.length > 0) {
        throw new AppError(
          'FSTORE_IN_USE',
          `${LABEL[kind]} '${name}' is still used by ${[...groups.map((g) => `group '${g}'`), ...dependents.map((f) => `feature '${f}'`)].join(', ')}; archive those first`,
        );
      }
    }
    if (kind === 'feature') {
      const services = (await this.list('feature_service')).filter((s) => s.features.includes(name)).map((s) => `feature service '${s.name}'`);
      if (services.length > 0) throw new AppError('FSTORE_IN_USE', `Feature '${name}' is still served by ${services.join(', ')}; remove it from those first`);
    }
    if (kind === 'data_source') {
      const readers = (await this.list('transform')).filter((t) => t.sources.includes(name)).map((t) => `transform '${t.name}'`);
      if (readers.length > 0) throw new AppError('FSTORE_IN_USE', `Data source '${name}' is still read by ${readers.join(', ')}; archive those first`);
    }
    return this.writeVersion(kind, { ...definitionOf(current), status: 'archived' }, current, 'archive', actor);
  }

  async restore<K extends RegistryKind>(kind: K, name: string, actor: string): Promise<KindMap[K]> {
    const current = await this.get(kind, name);
    if (current.status === 'active') throw new AppError('FSTORE_VALIDATION_FAILED', `${LABEL[kind]} '${name}' is not archived or deprecated`);
    const restored: Record<string, unknown> = { ...definitionOf(current), status: 'active' };
    if ('deprecation' in restored) restored['deprecation'] = null;
    return this.writeVersion(kind, restored, current, 'restore', actor);
  }

  /** Marks a feature deprecated: still served, with a warning naming the reason and replacement. */
  async deprecate(name: string, deprecation: Deprecation, actor: string): Promise<Feature> {
    const current = await this.get('feature', name);
    if (current.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Feature '${name}' is archived; restore it first`);
    const replacement = deprecation.replaced_by ?? null;
    if (replacement !== null) {
      if (replacement === name) throw new AppError('FSTORE_VALIDATION_FAILED', 'A feature cannot replace itself');
      const other = await this.find('feature', replacement);
      if (!other || other.status === 'archived') throw new AppError('FSTORE_FEATURE_NOT_FOUND', `replaced_by: feature '${replacement}' does not exist`);
    }
    const next = { ...definitionOf(current), status: 'deprecated', deprecation: { reason: deprecation.reason, replaced_by: replacement } };
    if (current.status === 'deprecated' && diffDefinitions(definitionOf(current), next).length === 0) return current;
    return this.writeVersion('feature', next, current, 'deprecate', actor);
  }

  // ---- internals ----
  /** Refuses adding `adding` features to a group that would then hold more than maxGroupFeatures. */
  async assertGroupHasRoom(group: string, adding: number): Promise<void> {
    if (adding <= 0 || !Number.isFinite(this.maxGroupFeatures)) return;
    const held = (await this.list('feature', true)).filter((f) => f.feature_group === group).length;
    if (held + adding > this.maxGroupFeatures) {
      throw new AppError(
        'FSTORE_LIMIT_EXCEEDED',
        `Feature group '${group}' holds ${held} features; adding ${adding} would pass the limit of ${this.maxGroupFeatures} per group (maxGroupFeatures)`,
        { limit: 'maxGroupFeatures', value: this.maxGroupFeatures, group, held, adding },
      );
    }
  }

  private async assertGroupOfEntity(group: string, entity: string): Promise<void> {
    const g = await this.find('feature_group', group);
    if (!g) throw new AppError('FSTORE_FEATURE_GROUP_NOT_FOUND', `Feature group '${group}' does not exist; create it first (POST /api/feature-groups/)`);
    if (g.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Feature group '${group}' is archived`);
    if (g.entity !== entity) {
      throw new AppError('FSTORE_VALIDATION_FAILED', `Feature group '${group}' belongs to entity '${g.entity}', not '${entity}'`);
    }
  }

  private async assertAbsent(kind: RegistryKind, name: string): Promise<void> {
    const existing = await this.store.get(kind, name);
    if (existing) throw alreadyExists(kind, existing);
  }

  private async commitNew<K extends RegistryKind>(kind: K, definition: Record<string, unknown>, actor: string): Promise<KindMap[K]> {
    await this.assertAbsent(kind, definition['name'] as string);
    return this.writeVersion(kind, { ...definition, status: 'active' }, undefined, 'create', actor);
  }

  private async commitUpdate<K extends RegistryKind>(
    kind: K,
    name: string,
    apply: (current: Record<string, unknown> & KindMap[K]) => Record<string, unknown>,
    actor: string,
    expectedVersion?: number,
  ): Promise<WithWarnings<KindMap[K]>> {
    const current = await this.get(kind, name);
    if (current.status === 'archived') {
      throw new AppError('FSTORE_ARCHIVED', `${LABEL[kind]} '${name}' is archived; restore it (POST .../${name}/restore) before changing it`);
    }
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new AppError('FSTORE_VERSION_CONFLICT', `${LABEL[kind]} '${name}' is at version ${current.version}, not ${expectedVersion}; reload and retry`, {
        current_version: current.version,
      });
    }
    const next = definitionOf(apply({ ...current } as Record<string, unknown> & KindMap[K]));
    if (diffDefinitions(definitionOf(current), next).length === 0) {
      return { ...current, warnings: ['No field changed; no new version was created'] };
    }
    return { ...(await this.writeVersion(kind, next, current, 'update', actor)), warnings: [] };
  }

  private async writeVersion<K extends RegistryKind>(
    kind: K,
    definition: Record<string, unknown>,
    current: KindMap[K] | undefined,
    action: Action,
    actor: string,
  ): Promise<KindMap[K]> {
    const now = new Date().toISOString();
    const version = (current?.version ?? 0) + 1;
    const name = definition['name'] as string;
    const changes = diffDefinitions(current ? definitionOf(current) : {}, definition);
    const doc: StoredDoc = {
      ...definition,
      name,
      version,
      created_at: current?.created_at ?? now,
      updated_at: now,
      updated_by: actor,
    };
    const summary = action === 'create' ? 'created' : action === 'update' ? summarizeChanges(changes) : action === 'deprecate' ? 'deprecated' : `${action}d`;
    this.lists.delete(kind);
    try {
      await this.store.commit({
        kind,
        doc,
        expectedVersion: current?.version ?? 0,
        version: { kind, name, version, created_at: now, author: actor, action, summary, changes, definition },
        audit: {
          id: randomUUID(),
          time: now,
          actor,
          action: `${kind}.${action}`,
          kind,
          name,
          version_before: current?.version ?? null,
          version_after: version,
        },
      });
    } catch (err) {
      if (err instanceof ConflictError) {
        if (err.reason === 'exists') throw new AppError('FSTORE_ALREADY_EXISTS', `${LABEL[kind]} '${name}' already exists`);
        throw new AppError('FSTORE_VERSION_CONFLICT', `${LABEL[kind]} '${name}' was changed by another request; reload and retry`);
      }
      throw err;
    } finally {
      // Also after: a list read while the commit ran may have cached the state before it.
      this.lists.delete(kind);
      this.onChange?.(kind);
    }
    return doc as unknown as KindMap[K];
  }
}

/** The definition part of a stored document (what versions snapshot): everything but bookkeeping. */
export function definitionOf(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'warnings' || (STORED_FIELD_NAMES as string[]).includes(k)) continue;
    out[k] = v;
  }
  out['status'] = doc['status'] ?? 'active';
  return out;
}

function stripExtras<T extends object>(doc: T): T {
  const { warnings: _ignored, ...rest } = doc as T & { warnings?: unknown };
  return rest as T;
}

function alreadyExists(kind: RegistryKind, existing: StoredDoc): AppError {
  const archived = existing['status'] === 'archived';
  return new AppError(
    'FSTORE_ALREADY_EXISTS',
    archived
      ? `${LABEL[kind]} '${existing.name}' exists but is archived; restore it (POST .../${existing.name}/restore) instead of creating it again`
      : `${LABEL[kind]} '${existing.name}' already exists (version ${existing.version}); use PUT to change it`,
  );
}

function assertName(kind: RegistryKind, name: string): void {
  const problem = explainInvalidName(kind, name);
  if (problem) throw new AppError('FSTORE_INVALID_NAME', problem, [{ path: kind === 'entity' ? '/entity' : '/name', message: problem }]);
}

function assertColumnName(field: string, name: string): void {
  const problem = explainInvalidName('feature', name);
  if (problem) {
    const message = `${field}: ${problem.replace(/^Feature name/, 'Column name')}`;
    throw new AppError('FSTORE_INVALID_NAME', message, [{ path: `/${field}`, message }]);
  }
}

function assertRules(rules: ValidationRules | null, valueType: ValueType): void {
  if (rules === null) return;
  const problem = explainRulesProblem(rules, valueType);
  if (problem) throw new AppError('FSTORE_VALIDATION_FAILED', `validation: ${problem}`, [{ path: '/validation', message: problem }]);
}

function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))];
}

/** Drops undefined properties so a partial update only touches the fields it names. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
