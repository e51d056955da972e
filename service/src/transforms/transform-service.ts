/**
 * Transforms in the registry: preview, publish (plan first, then write the group, features and the
 * transform's new version), runs as jobs, and lineage. The transform's version is written last, so a
 * publish interrupted half way leaves the previous version in charge and re-publishing completes it.
 */
import type { PublishPlan, ObjectChange, TransformPreview, TransformPreviewRequest, TransformRunRequest } from '@shared/api/transforms.js';
import { diffDefinitions } from '@shared/domain/diff.js';
import { explainInvalidName } from '@shared/domain/names.js';
import type { Feature, FeatureGroup, OutputFeature, Transform, TransformEngineChoice, TransformInput } from '@shared/domain/schemas.js';
import type { Job } from '@shared/api/jobs.js';
import { defaultFeatureType } from '@shared/domain/value-types.js';
import { AppError } from '../errors/app-error.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { JobService } from '../jobs/job-service.js';
import { entityPrefixed, newFeatureName } from '../registry/feature-names.js';
import { definitionOf, type RegistryService } from '../registry/registry-service.js';
import { onlineRequestValues, placeholderInputs } from '../serving/request-data.js';
import { parseInstant, parseRangeEnd } from '../util/time.js';
import { DEFAULT_SAMPLE_ROWS } from './duckdb-transform-engine.js';
import { GROUP_TIME_COLUMN, groupShape, type GroupShape } from './feature-group-rows.js';
import { downstreamOf } from './lineage.js';
import type { SparkTransformEngine } from './spark/spark-transform-engine.js';
import type { EngineRunOptions, EngineRunOutput, TransformDefinition, TransformEngine } from './transform-engine.js';
import { TsSandbox } from './ts-sandbox.js';

const PREVIEW_LIMIT = 200;
const SOURCE_PREFIX = 'transform:';

type TransformDoc = Omit<Transform, 'version' | 'status' | 'created_at' | 'updated_at' | 'updated_by'>;

interface Planned {
  plan: PublishPlan;
  transform: TransformDoc;
  group: Record<string, unknown>;
  groupExists: boolean;
  features: { output: OutputFeature; current: Feature | undefined }[];
  removed: Feature[];
}

export class TransformService {
  constructor(
    private readonly deps: {
      registry: RegistryService;
      engine: TransformEngine;
      ingest: IngestService;
      jobs: JobService;
      /** Runs on Spark (null when sparkMaster is not set); previews and plans stay on `engine`. */
      spark?: SparkTransformEngine | null;
      /** engine 'auto' picks Spark from this many bytes of file sources on. */
      sparkThresholdBytes?: number;
    },
  ) {}

  /** `signal` aborts when the caller is gone: the preview's SQL is interrupted. */
  preview(request: TransformPreviewRequest, signal?: AbortSignal): Promise<TransformPreview> {
    // Request inputs are checked as an online request's would be, then given to every sample row.
    const inputs = request.request_inputs ?? [];
    const requestData = inputs.length > 0 ? onlineRequestValues(inputs, request.request_data, 1)[0] : undefined;
    return this.deps.engine.preview({ ...definitionFrom(request), requestData }, request.sample, request.limit ?? PREVIEW_LIMIT, signal);
  }

  /** What publishing `input` would do, without changing anything. */
  async plan(input: TransformInput, signal?: AbortSignal): Promise<PublishPlan> {
    return (await this.planned(input, signal)).plan;
  }

  async publish(input: TransformInput, actor: string, mode: 'create' | 'update', expectedVersion?: number): Promise<Transform & { warnings: string[] }> {
    const current = await this.deps.registry.find('transform', input.name);
    if (mode === 'create' && current) {
      throw new AppError('FSTORE_ALREADY_EXISTS', `Transform '${input.name}' already exists (version ${current.version}); publish a new version with PUT /api/transforms/${input.name}`);
    }
    if (mode === 'update' && !current) throw new AppError('FSTORE_TRANSFORM_NOT_FOUND', `Transform '${input.name}' does not exist; publish it with POST /api/transforms/`);
    if (current && expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new AppError('FSTORE_VERSION_CONFLICT', `Transform '${input.name}' is at version ${current.version}, not ${expectedVersion}; reload and retry`, {
        current_version: current.version,
      });
    }
    const planned = await this.planned(input);
    const { registry } = this.deps;
    // ensureEntity reports the entity it creates; the plan's "will be created" would repeat it.
    const warnings = planned.plan.warnings.filter((w) => !w.includes('does not exist and will be created'));
    await registry.ensureEntity(input.entity, actor, warnings);
    const groupName = planned.transform.feature_group;
    if (planned.groupExists) await registry.replaceDefinition('feature_group', groupName, planned.group, actor);
    else await registry.createDefinition('feature_group', planned.group, actor);
    for (const { output, current: feature } of planned.features) {
      const source = `${SOURCE_PREFIX}${input.name}`;
      if (!feature) {
        await registry.createFeature(
          { name: output.name, entity: input.entity, feature_group: groupName, value_type: output.value_type, source, description: '' },
          actor,
        );
      } else {
        if (feature.status === 'archived') await registry.restore('feature', feature.name, actor);
        const typeChanged = feature.value_type !== output.value_type;
        await registry.updateFeature(
          feature.name,
          {
            feature_group: groupName,
            source,
            value_type: output.value_type,
            ...(typeChanged ? { feature_type: defaultFeatureType(output.value_type) } : {}),
          },
          actor,
        );
      }
    }
    for (const feature of planned.removed) await registry.archive('feature', feature.name, actor);
    const saved = current
      ? await registry.replaceDefinition('transform', input.name, planned.transform, actor, current.version)
      : { ...(await registry.createDefinition('transform', planned.transform, actor)), warnings: [] };
    return { ...saved, warnings: [...warnings, ...saved.warnings] };
  }

  /** Runs (or backfills) a published transform into its group, as a job. */
  async run(name: string, request: TransformRunRequest, actor: string): Promise<Job> {
    const transform = await this.deps.registry.get('transform', name);
    if (transform.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Transform '${name}' is archived; restore it before running it`);
    if ((transform.request_inputs ?? []).length > 0) {
      throw invalid(
        '/',
        `Transform '${name}' reads request inputs (${transform.request_inputs!.map((i) => i.name).join(', ')}), so it is computed only at request time and, in training, from the label rows' columns; there is nothing to run`,
      );
    }
    const start = request.start === undefined ? undefined : parseInstant(request.start);
    const end = request.end === undefined ? undefined : parseRangeEnd(request.end);
    if (request.start !== undefined && start === undefined) throw invalid('/start', `start '${request.start}' is not a date or ISO-8601 timestamp`);
    if (request.end !== undefined && end === undefined) throw invalid('/end', `end '${request.end}' is not a date or ISO-8601 timestamp`);
    if (start !== undefined && end !== undefined && end < start) throw invalid('/end', 'end is before start');
    const window = request.start || request.end ? ` (${request.start ?? 'beginning'} to ${request.end ?? 'now'})` : '';
    const engine = await this.engineFor(transform, request.engine ?? transform.engine ?? 'auto');
    return this.deps.jobs.submit(
      'transform_run',
      `run transform ${name} v${transform.version} into ${transform.entity}/${transform.feature_group}${window} on ${engine.name}`,
      { transform: name, version: transform.version, ...request },
      actor,
      async (job) => {
        const output: EngineRunOutput & { sparkSql?: string[] } = await engine.run(definitionFrom(transform), {
          start,
          end,
          signal: job.signal,
          onProgress: (phase, rowsDone, rowsTotal) => job.progress({ phase, rowsDone, rowsTotal }),
          onLog: job.log,
        });
        try {
          if (output.rows === 0) {
            return { transform: name, version: transform.version, rows: 0, values_written: 0, online_values_written: 0, warnings: [...output.warnings, 'Nothing to write'] };
          }
          const report = await this.deps.ingest.ingestFile(transform.entity, transform.feature_group, output.file, 'parquet', actor, {
            keyColumn: output.keyColumn,
            timeColumn: output.timeColumn,
            signal: job.signal,
            onProgress: job.progress,
            offlineOnly: transform.on_demand,
          });
          return {
            transform: name,
            version: transform.version,
            engine: engine.name,
            ...(output.sparkSql ? { spark_sql: output.sparkSql } : {}),
            ...report,
            // The stamp column of a transform without event times is the engine's, not the user's.
            event_time_column: transform.event_time_column,
            warnings: [...output.warnings, ...report.warnings],
          };
        } finally {
          await output.close();
        }
      },
    );
  }

  /**
   * The engine a run uses: the request's choice, else the transform's, else auto — Spark when it is
   * configured, can run the transform, and the file sources add up to sparkThresholdBytes or more.
   */
  async engineFor(
    transform: Pick<Transform, 'language' | 'code' | 'sources' | 'entity' | 'entity_key_column' | 'event_time_column'>,
    choice: TransformEngineChoice,
  ): Promise<{ name: string; run(definition: TransformDefinition, options: EngineRunOptions): Promise<EngineRunOutput & { sparkSql?: string[] }> }> {
    const { spark, engine } = this.deps;
    const definition = definitionFrom(transform);
    if (choice === 'duckdb') return engine;
    if (choice === 'spark') {
      if (!spark) throw new AppError('FSTORE_SPARK_UNAVAILABLE', 'Spark is not configured on this server; set sparkMaster (FSTORE_SPARK_MASTER), see docs/spark.md');
      const problem = await spark.unsupported(definition);
      if (problem) throw invalid('/engine', `This transform cannot run on Spark: ${problem}`);
      return spark;
    }
    if (!spark || (await spark.unsupported(definition))) return engine;
    // A source that cannot be sized is one the embedded engine will report on with its own error.
    const bytes = await spark.sourceBytes(definition).catch(() => 0);
    return bytes >= (this.deps.sparkThresholdBytes ?? Number.POSITIVE_INFINITY) ? spark : engine;
  }

  private async planned(input: TransformInput, signal?: AbortSignal): Promise<Planned> {
    const { registry } = this.deps;
    for (const [path, name] of [['/name', input.name], ['/entity', input.entity], ['/feature_group', input.feature_group ?? input.name]] as const) {
      const problem = explainInvalidName(path === '/entity' ? 'entity' : path === '/name' ? 'transform' : 'feature_group', name);
      if (problem) throw new AppError('FSTORE_INVALID_NAME', problem, [{ path, message: problem }]);
    }
    const warnings: string[] = [];
    await this.checkOnDemand(input);
    // The output schema comes from running the transform on a sample of its sources.
    // Request inputs get a placeholder of their type: the sample only has to show the output types.
    const requestData = input.request_inputs?.length ? placeholderInputs(input.request_inputs) : undefined;
    const preview = await this.deps.engine.preview({ ...definitionFrom(input), requestData }, { mode: 'head', rows: DEFAULT_SAMPLE_ROWS }, 0, signal);
    const allFeatures = await registry.list('feature', true);
    const output = preview.columns
      .filter((c) => c.role === 'feature')
      .map((c) => {
        const problem = explainInvalidName('feature', c.name);
        if (problem) throw new AppError('FSTORE_TRANSFORM_OUTPUT', `Output column '${c.name}' cannot become a feature: ${problem}; alias it in the transform`);
        if (c.value_type === null) {
          throw new AppError('FSTORE_TRANSFORM_OUTPUT', `Output column '${c.name}' is always null in the sample, so its type is unknown; cast it (for example CAST(x AS DOUBLE))`);
        }
        return { name: featureNameOf(c.name, input, allFeatures, warnings), value_type: c.value_type, duck_type: c.duck_type };
      });
    const repeated = output.find((o, i) => output.findIndex((p) => p.name === o.name) !== i);
    if (repeated) throw invalid('/code', `Two output columns would both be feature '${repeated.name}'; keep one`);
    if (output.length === 0) throw new AppError('FSTORE_TRANSFORM_OUTPUT', 'The output has no feature columns besides the entity key and event time');
    if (preview.row_count === 0) warnings.push('The transform returned no rows on a sample of its sources; the output types could not be checked against data');

    const groupName = input.feature_group ?? input.name;
    const current = await registry.find('transform', input.name);
    const transform: TransformDoc = {
      name: input.name,
      description: input.description ?? current?.description ?? '',
      owner: input.owner ?? current?.owner ?? '',
      tags: input.tags ?? current?.tags ?? [],
      language: input.language,
      code: input.code,
      sources: input.sources,
      entity: input.entity,
      feature_group: groupName,
      entity_key_column: preview.entity_key_column,
      event_time_column: preview.event_time_column,
      on_demand: input.on_demand ?? false,
      ...(input.request_inputs?.length ? { request_inputs: input.request_inputs } : {}),
      ...((input.engine ?? current?.engine) ? { engine: input.engine ?? current?.engine } : {}),
      features: output,
    };
    if (current && current.entity !== input.entity) {
      throw invalid('/entity', `Transform '${input.name}' computes features of '${current.entity}'; a transform cannot change entity (publish a new transform instead)`);
    }

    const existingGroup = await registry.find('feature_group', groupName);
    const inGroup = allFeatures.filter((f) => f.feature_group === groupName && f.status === 'active');
    if (existingGroup) {
      if (existingGroup.entity !== input.entity) throw invalid('/feature_group', `Feature group '${groupName}' belongs to entity '${existingGroup.entity}', not '${input.entity}'`);
      const owner = existingGroup.transform ?? null;
      if (owner !== null && owner !== input.name) throw invalid('/feature_group', `Feature group '${groupName}' is computed by transform '${owner}'; choose another group`);
      if (owner === null && inGroup.length > 0) {
        throw invalid('/feature_group', `Feature group '${groupName}' already holds ingested features (${inGroup.map((f) => f.name).join(', ')}); a transform writes a group of its own`);
      }
      if (existingGroup.status === 'archived') throw new AppError('FSTORE_ARCHIVED', `Feature group '${groupName}' is archived; restore it first`);
    }
    const group: Record<string, unknown> = {
      name: groupName,
      entity: input.entity,
      description: existingGroup?.description || `Computed by transform ${input.name}`,
      owner: input.owner ?? existingGroup?.owner ?? '',
      tags: existingGroup?.tags ?? [],
      source: `${SOURCE_PREFIX}${input.name}`,
      ttl_seconds: input.ttl_seconds !== undefined ? input.ttl_seconds : (existingGroup?.ttl_seconds ?? null),
      online: input.online ?? existingGroup?.online ?? true,
      transform: input.name,
    };

    const features = output.map((o) => {
      const feature = allFeatures.find((f) => f.name === o.name);
      if (feature && feature.entity !== input.entity) throw invalid('/code', `Output column '${o.name}' is already a feature of entity '${feature.entity}'; alias it`);
      if (feature && feature.feature_group !== null && feature.feature_group !== groupName && feature.status === 'active') {
        throw invalid('/code', `Output column '${o.name}' is already a feature of group '${feature.feature_group}'; alias it (for example ${entityPrefixed(input.entity, o.name)})`);
      }
      return { output: o, current: feature };
    });
    const removed = inGroup.filter((f) => !output.some((o) => o.name === f.name));

    const changes: ObjectChange[] = [];
    const transformChanges = diffDefinitions(current ? definitionOf(current) : {}, { ...transform, status: 'active' });
    changes.push(change('transform', input.name, current, transformChanges, false));
    const groupChanges = diffDefinitions(existingGroup ? definitionOf(existingGroup) : {}, { ...group, status: 'active' });
    changes.push(change('feature_group', groupName, existingGroup, groupChanges, false));
    for (const { output: o, current: feature } of features) {
      const next = { value_type: o.value_type, feature_group: groupName, source: `${SOURCE_PREFIX}${input.name}`, status: 'active' };
      const before = feature ? { value_type: feature.value_type, feature_group: feature.feature_group, source: feature.source, status: feature.status } : {};
      const breaking = feature !== undefined && feature.value_type !== o.value_type;
      changes.push(change('feature', o.name, feature, diffDefinitions(before, next), breaking));
    }
    for (const f of removed) {
      changes.push({ kind: 'feature', name: f.name, action: 'archive', version_before: f.version, changes: [{ field: 'status', before: 'active', after: 'archived' }], breaking: true });
    }
    const dependents = current || existingGroup ? await downstreamOf(registry, 'transform', input.name) : [];
    if (!(await registry.find('entity', input.entity))) warnings.push(`Entity '${input.entity}' does not exist and will be created with join key '${preview.entity_key_column}'`);
    warnings.push(...preview.warnings.filter((w) => !w.startsWith('Column ')));
    return {
      plan: {
        transform: input.name,
        changes,
        output,
        dependents,
        breaking: changes.some((c) => c.breaking),
        warnings,
      },
      transform,
      group,
      groupExists: existingGroup !== undefined,
      features,
      removed,
    };
  }

  private async checkOnDemand(input: TransformInput): Promise<void> {
    if (!input.on_demand) {
      if (input.request_inputs?.length) throw invalid('/request_inputs', 'Only on-demand transforms ("on_demand": true) read request inputs');
      return;
    }
    if (input.language !== 'typescript') throw invalid('/on_demand', 'Only TypeScript transforms can be on demand (computed at request time)');
    const compiled = (() => {
      try {
        return TsSandbox.compile(input.code);
      } catch {
        return undefined; // the preview reports compile errors with their location
      }
    })();
    if (compiled && !compiled.hasRow) throw invalid('/on_demand', 'An on-demand transform needs a row function (export default function transform(row) { ... })');
    if (input.sources.length !== 1) throw invalid('/sources', 'An on-demand transform reads exactly one source: a feature_group source of the same entity');
    const source = await this.deps.registry.find('data_source', input.sources[0]!);
    if (source && source.type !== 'feature_group') {
      throw invalid('/sources', `An on-demand transform reads a feature_group source (values known at request time); '${source.name}' is a ${source.type} source`);
    }
    if (source?.feature_group) {
      const group: FeatureGroup = await this.deps.registry.get('feature_group', source.feature_group);
      if (group.entity !== input.entity) throw invalid('/sources', `Source '${source.name}' reads group '${group.name}' of entity '${group.entity}', not '${input.entity}'`);
      if (!group.online) throw invalid('/sources', `Source '${source.name}' reads group '${group.name}', which is not served online`);
      await this.checkRequestInputs(input, await groupShape(this.deps.registry, group.name));
    }
  }

  /** Request inputs: valid, distinct names that do not hide a column of the source group's row. */
  private async checkRequestInputs(input: TransformInput, shape: GroupShape): Promise<void> {
    const taken = new Set([shape.joinKey, GROUP_TIME_COLUMN, ...shape.features.map((f) => f.name)]);
    const seen = new Set<string>();
    for (const [i, { name }] of (input.request_inputs ?? []).entries()) {
      const path = `/request_inputs/${i}/name`;
      const problem = explainInvalidName('feature', name);
      if (problem) throw invalid(path, `Request input '${name}': ${problem}`);
      if (seen.has(name)) throw invalid(path, `Request input '${name}' is declared twice`);
      if (taken.has(name)) throw invalid(path, `Request input '${name}' has the name of a column of group '${shape.group.name}' that the transform already receives; rename it`);
      seen.add(name);
    }
  }
}

function change(kind: string, name: string, current: { version: number } | undefined, changes: ObjectChange['changes'], breaking: boolean): ObjectChange {
  return {
    kind,
    name,
    action: !current ? 'create' : changes.length === 0 ? 'unchanged' : 'update',
    version_before: current?.version ?? null,
    changes,
    breaking,
  };
}

export function definitionFrom(t: Pick<TransformInput, 'language' | 'code' | 'sources' | 'entity' | 'entity_key_column' | 'event_time_column'>): TransformDefinition {
  return {
    language: t.language,
    code: t.code,
    sources: t.sources,
    entity: t.entity,
    entity_key_column: t.entity_key_column,
    event_time_column: t.event_time_column,
  };
}

function invalid(path: string, message: string): AppError {
  return new AppError('FSTORE_VALIDATION_FAILED', message, [{ path, message }]);
}

/**
 * The feature an output column publishes: the column's name, or `<entity>_<column>` when the bare
 * name is another entity's feature (generic names collide across teams), as batch ingestion does;
 * a run's ingestion resolves the column to the same feature. On-demand transforms are computed by
 * column name at request time, so there the column must be aliased instead.
 */
function featureNameOf(column: string, input: TransformInput, allFeatures: Feature[], warnings: string[]): string {
  const { name, owner } = newFeatureName(column, input.entity, (n) => allFeatures.find((f) => f.name === n));
  if (!owner) return column;
  if (input.on_demand || explainInvalidName('feature', name)) {
    throw invalid('/code', `Output column '${column}' is already a feature of entity '${owner.entity}'; alias it (for example AS ${name})`);
  }
  warnings.push(`Output column '${column}' becomes feature '${name}': feature '${column}' belongs to entity '${owner.entity}'`);
  return name;
}
