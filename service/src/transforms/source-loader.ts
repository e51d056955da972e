/** Registers a transform's data sources in a TransformSession, sampled as the preview asks. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { DataFormat } from '@shared/domain/data-formats.js';
import type { DataSource } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import { deepJsonProblem, findDeepJson } from '../staging/json-file-depth.js';
import { exportPostgresRows, parseTableName } from '../ingest/sql-source-pull.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { urlCredentials } from '../storage/url-credentials.js';
import { groupColumns, groupHistoryRows, groupShape } from './feature-group-rows.js';
import type { SampleClause, TransformSession } from './transform-session.js';

export interface SourceDeps {
  registry: RegistryService;
  offline: OfflineStore;
  signal?: AbortSignal;
  onProgress?: (phase: string) => void;
}

/** Loads `source` into the session under its name; returns its row count when known without a scan. */
export async function loadSource(session: TransformSession, source: DataSource, sample: SampleClause, deps: SourceDeps): Promise<number | null> {
  deps.onProgress?.(`reading source ${source.name}`);
  switch (source.type) {
    case 'file': {
      await rejectDeepJsonSource(session, source.name, source.path!, source.format as DataFormat);
      await session.addFile(source.name, source.path!, source.format as DataFormat, sample);
      return sample.mode === 'all' ? null : session.count(source.name);
    }
    case 'postgres': {
      const file = join(session.dir, `${source.name}.ndjson`);
      const read = await exportPostgresRows(
        { connection: resolveConnection(source.connection!), ...postgresTarget(source) },
        sample.mode === 'all' ? {} : { limit: sample.rows, random: sample.mode === 'random' },
        file,
        { signal: deps.signal ?? new AbortController().signal, progress: () => undefined },
      );
      if (read.rows === 0) await session.addEmpty(source.name, read.columns.map((c) => ({ name: c.name, duckType: 'VARCHAR' })));
      else await session.addNdjson(source.name, file);
      return read.rows;
    }
    case 'feature_group': {
      const shape = await groupShape(deps.registry, source.feature_group!);
      const file = join(session.dir, `${source.name}.ndjson`);
      const rows = await writeNdjson(file, groupHistoryRows(shape, deps.offline, sample.mode === 'all' ? undefined : sample.rows));
      if (rows === 0) await session.addEmpty(source.name, groupColumns(shape));
      else await session.addNdjson(source.name, file, groupColumns(shape));
      return rows;
    }
  }
}

/** DuckDB's JSON reader crashes the process on a deep enough document: a JSON file source is checked first. */
export async function rejectDeepJsonSource(session: TransformSession, name: string, path: string, format: DataFormat): Promise<void> {
  if (format !== 'json' && format !== 'ndjson') return;
  const deep = await findDeepJson(session.connection, path);
  if (deep) throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `Source '${name}' (${path}) was not read: ${deepJsonProblem(deep, path)}`);
}

export function postgresTarget(source: Pick<DataSource, 'table' | 'query'>): { table: { schema: string | undefined; name: string } | undefined; query: string | undefined } {
  if (source.table) {
    const parsed = parseTableName(source.table);
    if ('problem' in parsed) throw new AppError('FSTORE_VALIDATION_FAILED', parsed.problem);
    return { table: parsed.table, query: undefined };
  }
  return { table: undefined, query: source.query ?? undefined };
}

/** `env:NAME`: a value read from the service's environment (saved connections use it too). */
export const ENV_REF = /^env:([A-Z_][A-Z0-9_]*)$/;
const USE_ENV = 'put the URL in an environment variable of the service and use env:VARIABLE';

/**
 * `env:NAME` reads the URL from the service's environment, so passwords never enter the registry.
 * The variable's value is never shown: it holds the password (or, when misnamed, anything at all).
 */
export function resolveConnection(connection: string): string {
  const ref = ENV_REF.exec(connection);
  if (!ref) return connection;
  const url = process.env[ref[1]!];
  if (!url) throw new AppError('FSTORE_SOURCE_UNAVAILABLE', `The environment variable ${ref[1]} (the source's connection) is not set on the server`);
  if (!isPostgresUrl(url)) {
    const message = `The environment variable ${ref[1]} (the source's connection) does not hold a postgres:// or postgresql:// URL; the service's operator should set it to postgres://user:password@host:port/database`;
    throw new AppError('FSTORE_VALIDATION_FAILED', message, [{ path: '/connection', message }]);
  }
  return url;
}

/**
 * Explains why a connection setting is unacceptable, or undefined when it is fine. The URL is
 * stored in the registry and its history, which every reader sees: no credential may be in it,
 * nor a file of the service's machine for the client to read.
 */
export function explainConnection(connection: string): string | undefined {
  if (connection.startsWith('env:')) {
    return ENV_REF.test(connection) ? undefined : `connection: env: must be followed by an environment variable name (A-Z, 0-9, _)`;
  }
  if (!isPostgresUrl(connection)) return 'connection must be env:VARIABLE or a postgres:// URL';
  const credential = urlCredentials(new URL(connection))[0];
  if (credential?.kind === 'secret') {
    return `connection carries a credential (${credential.where}), which would be stored in the registry and its history and shown to every reader; ${USE_ENV}`;
  }
  if (credential?.kind === 'file') {
    return `connection names a file on the service's machine (${credential.where}); TLS keys, certificates and password files are for the operator to choose: ${USE_ENV}`;
  }
  return undefined;
}

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

async function writeNdjson(file: string, chunks: AsyncIterable<Record<string, unknown>[]>): Promise<number> {
  const out = createWriteStream(file);
  let rows = 0;
  try {
    for await (const chunk of chunks) {
      const text = chunk.map((r) => JSON.stringify(r)).join('\n') + '\n';
      rows += chunk.length;
      if (!out.write(text)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return rows;
}
