/**
 * Named data sources in the registry: files (path or glob, or an upload kept in the data folder),
 * PostgreSQL tables or queries, and existing feature groups. Saving one reads its schema, so a bad
 * path, query or connection is reported when the source is defined, not when a transform first runs.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataFormat } from '@shared/domain/data-formats.js';
import type { DataSource, DataSourceInput, DataSourceUpdate, ColumnSchema } from '@shared/domain/schemas.js';
import { explainInvalidName } from '@shared/domain/names.js';
import { AppError } from '../errors/app-error.js';
import { resolveFileSource } from '../staging/file-source.js';
import { exportPostgresRows } from '../ingest/sql-source-pull.js';
import type { UploadStore } from '../staging/upload-store.js';
import type { RegistryService, WithWarnings } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { groupColumns, groupShape } from './feature-group-rows.js';
import { explainConnection, postgresTarget, rejectDeepJsonSource, resolveConnection } from './source-loader.js';
import { TransformSession } from './transform-session.js';

export interface DataSourceDeps {
  registry: RegistryService;
  /** `conn:<name>` as that saved connection's URL (ConnectionService.expandPostgresRef); other text unchanged. */
  expandConnection(connection: string, field: string): Promise<string>;
  offline: OfflineStore;
  uploads: UploadStore;
  /** Folders file sources may name (fileSourceDirs). */
  fileSourceDirs: string[];
  /** Where uploaded sources are kept: always readable by file sources. */
  sourcesDir: string;
  tmpDir: string;
}

type Definition = Omit<DataSource, 'version' | 'status' | 'created_at' | 'updated_at' | 'updated_by'>;

export class DataSourceService {
  constructor(private readonly deps: DataSourceDeps) {}

  /** Folders a file source may be in: the configured ones and the kept uploads. */
  get readableDirs(): string[] {
    return [...this.deps.fileSourceDirs, this.deps.sourcesDir];
  }

  async create(input: DataSourceInput, actor: string): Promise<WithWarnings<DataSource>> {
    // The name becomes a file name when an upload is kept (keepUpload): check it before any file is touched.
    const badName = explainInvalidName('data_source', input.name);
    if (badName) throw new AppError('FSTORE_INVALID_NAME', badName, [{ path: '/name', message: badName }]);
    const existing = await this.deps.registry.find('data_source', input.name);
    if (existing) {
      throw new AppError('FSTORE_ALREADY_EXISTS', `Data source '${input.name}' already exists (version ${existing.version}); use PUT to change it`);
    }
    let keptUpload: string | undefined;
    if (input.upload_id !== undefined) {
      if (input.type !== 'file') throw invalid('/upload_id', 'upload_id is only for file sources');
      if (input.path !== undefined) throw invalid('/path', 'Give either path or upload_id, not both');
      keptUpload = await this.keepUpload(input.name, input.upload_id);
    }
    try {
      const definition = await this.normalize({ ...input, ...(keptUpload ? { path: keptUpload } : {}) });
      const created = await this.deps.registry.createDefinition('data_source', definition, actor);
      return { ...created, warnings: [] };
    } catch (err) {
      if (keptUpload) await rm(keptUpload, { force: true });
      throw err;
    }
  }

  async update(name: string, update: DataSourceUpdate, actor: string, expectedVersion?: number): Promise<WithWarnings<DataSource>> {
    const current = await this.deps.registry.get('data_source', name);
    const merged: DataSourceInput = {
      name,
      type: current.type,
      description: update.description ?? current.description,
      owner: update.owner ?? current.owner,
      tags: update.tags ?? current.tags,
      ...optional('path', update.path ?? current.path),
      ...optional('format', update.format ?? current.format),
      ...optional('connection', update.connection ?? current.connection),
      ...optional('table', update.table !== undefined ? update.table : update.query !== undefined ? null : current.table),
      ...optional('query', update.query !== undefined ? update.query : update.table !== undefined ? null : current.query),
      ...optional('feature_group', update.feature_group ?? current.feature_group),
    };
    const definition = await this.normalize(merged);
    return this.deps.registry.replaceDefinition('data_source', name, definition, actor, expectedVersion);
  }

  /** Re-reads the schema of a source (for example after its file changed); a new version if it differs. */
  async refresh(name: string, actor: string): Promise<WithWarnings<DataSource>> {
    return this.update(name, {}, actor);
  }

  /** Validates one source definition and reads its schema. */
  private async normalize(input: DataSourceInput): Promise<Definition> {
    const base: Definition = {
      name: input.name,
      type: input.type,
      description: input.description ?? '',
      owner: input.owner ?? '',
      tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
      path: null,
      format: null,
      connection: null,
      table: null,
      query: null,
      feature_group: null,
      columns: [],
    };
    const unexpected = (['path', 'format', 'connection', 'table', 'query', 'feature_group'] as const).filter(
      (field) => input[field] !== undefined && input[field] !== null && !FIELDS_OF[input.type].includes(field),
    );
    if (unexpected.length > 0) {
      throw invalid(`/${unexpected[0]}`, `A ${input.type} source does not take ${unexpected.map((f) => `'${f}'`).join(', ')}`);
    }
    switch (input.type) {
      case 'file': {
        if (!input.path) throw invalid('/path', 'A file source needs a path (or an upload_id)');
        const resolved = resolveFileSource(input.path, this.readableDirs, input.format);
        const definition = { ...base, path: resolved.path, format: resolved.format };
        return { ...definition, columns: await this.fileColumns(definition) };
      }
      case 'postgres': {
        if (!input.connection) throw invalid('/connection', 'A postgres source needs a connection (env:VARIABLE or a postgres:// URL without a password)');
        // A saved connection's name is stored as the URL it names (credential-free or env:).
        const connection = await this.deps.expandConnection(input.connection, '/connection');
        const problem = explainConnection(connection);
        if (problem) throw invalid('/connection', problem);
        if ((input.table === undefined || input.table === null) === (input.query === undefined || input.query === null)) throw invalid('/table', 'A postgres source needs exactly one of table or query');
        const definition = { ...base, connection, table: input.table ?? null, query: input.query?.trim().replace(/[\s;]+$/, '') ?? null };
        return { ...definition, columns: await this.postgresColumns(definition) };
      }
      case 'feature_group': {
        if (!input.feature_group) throw invalid('/feature_group', 'A feature_group source needs the group name');
        const shape = await groupShape(this.deps.registry, input.feature_group);
        return {
          ...base,
          feature_group: input.feature_group,
          columns: groupColumns(shape).map((c) => ({ name: c.name, type: c.duckType })),
        };
      }
    }
  }

  private async fileColumns(source: Definition): Promise<ColumnSchema[]> {
    const session = await TransformSession.open(this.deps.tmpDir);
    try {
      await rejectDeepJsonSource(session, source.name, source.path!, source.format as DataFormat);
      await session.addFile(source.name, source.path!, source.format as never, { mode: 'head', rows: 1000, seed: 0 });
      return (await session.columns(source.name)).map((c) => ({ name: c.name, type: c.duckType }));
    } finally {
      await session.close();
    }
  }

  private async postgresColumns(source: Definition): Promise<ColumnSchema[]> {
    const file = join(this.deps.tmpDir, `describe-${source.name}-${Date.now()}.ndjson`);
    try {
      const read = await exportPostgresRows(
        { connection: resolveConnection(source.connection!), ...postgresTarget(source) },
        { limit: 0 },
        file,
        { signal: new AbortController().signal, progress: () => undefined },
      );
      return read.columns;
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Moves an upload into the sources folder, named after the source. */
  private async keepUpload(name: string, uploadId: string): Promise<string> {
    const upload = this.deps.uploads.get(uploadId);
    await mkdir(this.deps.sourcesDir, { recursive: true });
    const target = join(this.deps.sourcesDir, `${name}.${upload.format}`);
    await copyFile(upload.path, target);
    this.deps.uploads.remove(uploadId);
    return target;
  }
}

const FIELDS_OF: Record<DataSource['type'], readonly string[]> = {
  file: ['path', 'format'],
  postgres: ['connection', 'table', 'query'],
  feature_group: ['feature_group'],
};

function invalid(path: string, message: string): AppError {
  return new AppError('FSTORE_VALIDATION_FAILED', message, [{ path, message }]);
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
