/**
 * Saved connections: create, change, delete, test, and `conn:<name>` references resolved where a
 * PostgreSQL URL is taken (data sources, SQL pulls). Stored in the registry store of either backend.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { CONNECTION_REF_PREFIX, type Connection, type ConnectionInput, type ConnectionTestResult } from '@shared/api/connections.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryStore } from '../storage/registry-store.js';
import { secretScrubber } from '../storage/url-credentials.js';
import { resolveConnection } from '../transforms/source-loader.js';
import { explainConnectionUrl, kafkaBrokersOf } from './connection-url.js';

const TEST_TIMEOUT_MS = 5000;

export class ConnectionService {
  constructor(private readonly store: RegistryStore) {}

  list(): Promise<Connection[]> {
    return this.store.listConnections();
  }

  async get(name: string): Promise<Connection> {
    const found = await this.store.getConnection(name);
    if (!found) throw new AppError('FSTORE_CONNECTION_NOT_FOUND', `No saved connection named '${name}'`);
    return found;
  }

  async create(input: ConnectionInput, actor: string): Promise<Connection> {
    checkUrl(input);
    const now = new Date().toISOString();
    const record: Connection = { ...input, description: input.description ?? '', created_at: now, created_by: actor, updated_at: now, updated_by: actor };
    if (!(await this.store.createConnection(record))) throw new AppError('FSTORE_ALREADY_EXISTS', `A connection named '${input.name}' already exists`);
    await this.audit('connection.create', record.name, actor, { kind: record.kind, url: record.url });
    return record;
  }

  async update(name: string, input: ConnectionInput, actor: string): Promise<Connection> {
    if (input.name !== name) throw new AppError('FSTORE_VALIDATION_FAILED', `The body names '${input.name}' but the path '${name}'; a connection cannot be renamed`);
    checkUrl(input);
    const current = await this.get(name);
    const record: Connection = { ...current, ...input, description: input.description ?? '', updated_at: new Date().toISOString(), updated_by: actor };
    if (!(await this.store.replaceConnection(record))) throw new AppError('FSTORE_CONNECTION_NOT_FOUND', `No saved connection named '${name}'`);
    await this.audit('connection.update', name, actor, { kind: record.kind, url: record.url });
    return record;
  }

  async delete(name: string, actor: string): Promise<void> {
    if (!(await this.store.deleteConnection(name))) throw new AppError('FSTORE_CONNECTION_NOT_FOUND', `No saved connection named '${name}'`);
    await this.audit('connection.delete', name, actor, {});
  }

  /**
   * `conn:<name>` as the saved PostgreSQL connection's URL (credential-free or `env:`); any other
   * text unchanged. `field` names the request field in the 400 for an unknown or non-PostgreSQL name.
   */
  async expandPostgresRef(connection: string, field: string): Promise<string> {
    if (!connection.startsWith(CONNECTION_REF_PREFIX)) return connection;
    const name = connection.slice(CONNECTION_REF_PREFIX.length);
    const found = await this.store.getConnection(name);
    const invalid = (message: string) => new AppError('FSTORE_VALIDATION_FAILED', message, [{ path: field, message }]);
    if (!found) throw invalid(`${field.slice(1)}: no saved connection named '${name}' (GET /api/connections/ lists them)`);
    if (found.kind !== 'postgres') throw invalid(`${field.slice(1)}: '${name}' is a ${found.kind} connection, not a PostgreSQL one`);
    return found.url;
  }

  /** Connects once (5 s at most) and says what answered; a failure is an answer, not an error. */
  async test(name: string): Promise<ConnectionTestResult> {
    const connection = await this.get(name);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const message = connection.kind === 'postgres' ? await testPostgres(connection.url) : await testKafka(connection.url);
      return { ok: true, message, elapsed_ms: elapsed() };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), elapsed_ms: elapsed() };
    }
  }

  private audit(action: string, name: string, actor: string, details: Record<string, unknown>): Promise<void> {
    return this.store.recordAudit({ id: randomUUID(), time: new Date().toISOString(), actor, action, kind: 'connection', name, version_before: null, version_after: null, details });
  }
}

function checkUrl(input: ConnectionInput): void {
  const problem = explainConnectionUrl(input.kind, input.url);
  if (problem) throw new AppError('FSTORE_VALIDATION_FAILED', problem, [{ path: '/url', message: problem }]);
}

async function testPostgres(url: string): Promise<string> {
  const connectionString = resolveConnection(url);
  const scrub = secretScrubber([connectionString]);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: TEST_TIMEOUT_MS, query_timeout: TEST_TIMEOUT_MS, application_name: 'fstore-connection-test' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT version() AS version');
    return result.rows[0]?.version.split(' on ')[0] ?? 'PostgreSQL';
  } catch (err) {
    throw new Error(scrub(err instanceof Error ? err.message : String(err)), { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function testKafka(url: string): Promise<string> {
  const brokers = kafkaBrokersOf(url);
  const admin = new Kafka({ clientId: 'fstore-connection-test', brokers, logLevel: logLevel.NOTHING, connectionTimeout: TEST_TIMEOUT_MS, requestTimeout: TEST_TIMEOUT_MS, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return `Kafka cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
