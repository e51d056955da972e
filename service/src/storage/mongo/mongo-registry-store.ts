import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import type { AuditEvent, VersionRecord } from '@shared/domain/schemas.js';
import type { RegistryKind } from '@shared/domain/names.js';
import { BackendUnavailableError, ConflictError } from '../../errors/app-error.js';
import type { Connection } from '@shared/api/connections.js';
import type { ApiKeyRecord } from '../../auth/api-key-record.js';
import type { AuditFilter, RegistryCommit, RegistryStore, StoredDoc } from '../registry-store.js';
import { redactUrl } from '../redact-url.js';
import { MongoJobRecords, type JobCancelDoc, type JobDoc, type JobLogDoc } from './mongo-job-records.js';
import { MongoMonitoringRecords, type MonitoringCollections } from './mongo-monitoring-records.js';

interface HeadDoc {
  _id: string;
  kind: RegistryKind;
  name: string;
  version: number;
  doc: StoredDoc;
  /** The audit event of the commit that produced this head, replayed if its copy was lost. */
  pendingAudit: AuditEvent;
}

type VersionDoc = VersionRecord & { _id: string };
type AuditDoc = AuditEvent & { _id: string };
type ApiKeyDoc = ApiKeyRecord & { _id: string };
type ConnectionDoc = Connection & { _id: string };
interface StateDoc {
  _id: string;
  value: number | string;
}
/**
 * One epoch of a lease: `name#n`. Taking a free lease inserts the next epoch, so the unique _id
 * picks exactly one of concurrent takers (FerretDB's findOneAndUpdate is no lock, see below).
 */
interface LeaseDoc {
  _id: string;
  name: string;
  n: number;
  holder: string;
  /** ms since the epoch; 0 once released. */
  expires_at: number;
}

const DUPLICATE_KEY = 11000;
/** A version document this old that the head never reached was left by a crashed writer. */
const ORPHAN_AFTER_MS = 30_000;

/**
 * Registry on MongoDB (or FerretDB v1: no multi-document transactions, no change streams, and a
 * findOneAndUpdate that is not safe as a lock under concurrency; see docs/adr/0004). A commit:
 *   1. inserts the version document `kind/name/version` — its unique _id is the lock: of several
 *      writers of version n+1 exactly one succeeds, the others get ConflictError;
 *   2. moves the head from n to n+1 (conditional on n), rolling back step 1 if that fails;
 *   3. copies the audit event (idempotent; the head also carries it and readers replay it).
 * Readers only see versions up to the head's, so a half-done commit is invisible; a version left
 * behind by a writer that crashed between 1 and 2 is taken over after ORPHAN_AFTER_MS.
 */
export class MongoRegistryStore implements RegistryStore {
  readonly description: string;
  readonly sharedByReplicas = true;
  readonly jobs: MongoJobRecords;
  readonly monitoring: MongoMonitoringRecords;

  private constructor(
    private readonly client: MongoClient,
    private readonly heads: Collection<HeadDoc>,
    private readonly versions: Collection<VersionDoc>,
    private readonly auditLog: Collection<AuditDoc>,
    private readonly apiKeys: Collection<ApiKeyDoc>,
    private readonly connections: Collection<ConnectionDoc>,
    private readonly state: Collection<StateDoc>,
    private readonly leases: Collection<LeaseDoc>,
    jobs: Collection<JobDoc>,
    jobLogs: Collection<JobLogDoc>,
    jobCancels: Collection<JobCancelDoc>,
    monitoring: MonitoringCollections,
    url: string,
  ) {
    this.description = `MongoDB at ${redactUrl(url)}`;
    this.jobs = new MongoJobRecords(jobs, jobLogs, jobCancels, (op) => this.guard(op));
    this.monitoring = new MongoMonitoringRecords(monitoring, (op) => this.guard(op));
  }

  /** `timeoutMs` (registryTimeoutMs) bounds server selection, connecting and each operation's socket wait. */
  static async open(url: string, timeoutMs = 10_000): Promise<MongoRegistryStore> {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: Math.min(timeoutMs, 5000),
      connectTimeoutMS: Math.min(timeoutMs, 5000),
      socketTimeoutMS: timeoutMs,
      // Requests waiting for a pooled connection give up too, rather than queue without end.
      waitQueueTimeoutMS: timeoutMs,
    });
    try {
      await client.connect();
    } catch (err) {
      throw new BackendUnavailableError('MongoDB', (err as Error).message);
    }
    const db: Db = client.db();
    const heads = db.collection<HeadDoc>('fstore_heads');
    const versions = db.collection<VersionDoc>('fstore_versions');
    const auditLog = db.collection<AuditDoc>('fstore_audit');
    const apiKeys = db.collection<ApiKeyDoc>('fstore_api_keys');
    const connections = db.collection<ConnectionDoc>('fstore_connections');
    const state = db.collection<StateDoc>('fstore_state');
    const leases = db.collection<LeaseDoc>('fstore_leases');
    const jobs = db.collection<JobDoc>('fstore_jobs');
    const jobLogs = db.collection<JobLogDoc>('fstore_job_logs');
    const jobCancels = db.collection<JobCancelDoc>('fstore_job_cancels');
    const monitoring: MonitoringCollections = {
      batches: db.collection('fstore_mon_batches'),
      writes: db.collection('fstore_mon_writes'),
      rules: db.collection('fstore_alert_rules'),
      alerts: db.collection('fstore_alerts'),
    };
    await Promise.all([
      ...MongoMonitoringRecords.indexes(monitoring),
      ...MongoJobRecords.indexes(jobs),
      heads.createIndex({ kind: 1, name: 1 }, { unique: true }),
      versions.createIndex({ kind: 1, name: 1, version: 1 }, { unique: true }),
      auditLog.createIndex({ time: -1 }),
      leases.createIndex({ name: 1, n: -1 }),
    ]);
    return new MongoRegistryStore(client, heads, versions, auditLog, apiKeys, connections, state, leases, jobs, jobLogs, jobCancels, monitoring, url);
  }

  async get(kind: RegistryKind, name: string): Promise<StoredDoc | undefined> {
    const head = await this.guard(() => this.heads.findOne({ _id: headId(kind, name) }));
    return head?.doc;
  }

  async list(kind: RegistryKind): Promise<StoredDoc[]> {
    const heads = await this.guard(() => this.heads.find({ kind }).toArray());
    return heads.map((h) => h.doc);
  }

  async commit(change: RegistryCommit): Promise<void> {
    const { kind, doc, expectedVersion } = change;
    const id = headId(kind, doc.name);
    const vid = versionId(kind, doc.name, doc.version);
    await this.claimVersion(change, vid);
    let moved: boolean;
    if (expectedVersion === 0) {
      moved = await this.guard(() =>
        this.heads
          .insertOne({ _id: id, kind, name: doc.name, version: doc.version, doc, pendingAudit: change.audit })
          .then(() => true, (err: unknown) => (isDuplicate(err) ? false : Promise.reject(err))),
      );
    } else {
      const previous = await this.guard(() =>
        this.heads.findOneAndUpdate({ _id: id, version: expectedVersion }, { $set: { version: doc.version, doc, pendingAudit: change.audit } }),
      );
      moved = previous !== null;
    }
    if (!moved) {
      await this.guard(() => this.versions.deleteOne({ _id: vid, created_at: change.version.created_at }));
      throw new ConflictError(
        expectedVersion === 0 ? `${kind} '${doc.name}' already exists` : `${kind} '${doc.name}' is no longer at version ${expectedVersion}`,
        expectedVersion === 0 ? 'exists' : 'changed',
      );
    }
    await this.copyAudit(change.audit);
  }

  async listVersions(kind: RegistryKind, name: string): Promise<VersionRecord[]> {
    const head = await this.head(kind, name);
    if (!head) return [];
    const docs = await this.guard(() =>
      this.versions.find({ kind, name, version: { $lte: head.version } }).sort({ version: 1 }).toArray(),
    );
    return docs.map(strip);
  }

  async getVersion(kind: RegistryKind, name: string, version: number): Promise<VersionRecord | undefined> {
    const head = await this.head(kind, name);
    if (!head || version > head.version) return undefined;
    const doc = await this.guard(() => this.versions.findOne({ _id: versionId(kind, name, version) }));
    return doc ? strip(doc) : undefined;
  }

  async listAudit(filter: AuditFilter): Promise<AuditEvent[]> {
    const query: Record<string, string> = {};
    if (filter.kind) query['kind'] = filter.kind;
    if (filter.name) query['name'] = filter.name;
    if (filter.actor) query['actor'] = filter.actor;
    if (filter.name && filter.kind) {
      const head = await this.head(filter.kind as RegistryKind, filter.name);
      if (head?.pendingAudit) await this.copyAudit(head.pendingAudit);
    }
    const docs = await this.guard(() =>
      this.auditLog.find(query).sort({ time: -1, _id: -1 }).limit(filter.limit ?? 100).toArray(),
    );
    return docs.map(strip);
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.guard(() => this.apiKeys.replaceOne({ _id: record.id }, { ...record }, { upsert: true }));
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.guard(() => this.apiKeys.findOne({ _id: id }));
    return doc ? strip(doc) : undefined;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const docs = await this.guard(() => this.apiKeys.find({}).sort({ created_at: 1, _id: 1 }).toArray());
    return docs.map(strip);
  }

  async touchApiKey(id: string, time: string): Promise<void> {
    await this.guard(() => this.apiKeys.updateOne({ _id: id }, { $set: { last_used_at: time } }));
  }

  async createConnection(record: Connection): Promise<boolean> {
    try {
      await this.guard(() => this.connections.insertOne({ _id: record.name, ...record }));
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }

  async replaceConnection(record: Connection): Promise<boolean> {
    const result = await this.guard(() => this.connections.replaceOne({ _id: record.name }, { ...record }));
    return result.matchedCount === 1;
  }

  async getConnection(name: string): Promise<Connection | undefined> {
    const doc = await this.guard(() => this.connections.findOne({ _id: name }));
    return doc ? strip(doc) : undefined;
  }

  async listConnections(): Promise<Connection[]> {
    const docs = await this.guard(() => this.connections.find({}).sort({ _id: 1 }).toArray());
    return docs.map(strip);
  }

  async deleteConnection(name: string): Promise<boolean> {
    const result = await this.guard(() => this.connections.deleteOne({ _id: name }));
    return result.deletedCount === 1;
  }

  async getState(name: string): Promise<number | string | undefined> {
    return (await this.guard(() => this.state.findOne({ _id: name })))?.value;
  }

  async setState(name: string, value: number | string): Promise<void> {
    await this.guard(() => this.state.replaceOne({ _id: name }, { value }, { upsert: true }));
  }

  /**
   * A holder renews its live epoch in place and then checks that no later epoch exists (one taken
   * by someone who saw it expire); anyone takes a free lease by inserting the next epoch. Holders
   * renew at a third of the ttl (lease.ts), well before expiry, so two holders cannot overlap.
   */
  async acquireLease(name: string, holder: string, ttlMs: number, nowMs = Date.now()): Promise<boolean> {
    const newest = await this.newestEpoch(name);
    if (newest && newest.expires_at > nowMs) {
      if (newest.holder !== holder) return false;
      await this.guard(() => this.leases.updateOne({ _id: newest._id, holder }, { $set: { expires_at: nowMs + ttlMs } }));
      return (await this.guard(() => this.leases.countDocuments({ name, n: { $gt: newest.n } }))) === 0;
    }
    const n = (newest?.n ?? 0) + 1;
    try {
      await this.guard(() => this.leases.insertOne({ _id: `${name}#${n}`, name, n, holder, expires_at: nowMs + ttlMs }));
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
    // Epochs before the previous one are history.
    await this.guard(() => this.leases.deleteMany({ name, n: { $lt: n - 1 } }));
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    const newest = await this.newestEpoch(name);
    if (newest?.holder === holder) await this.guard(() => this.leases.updateOne({ _id: newest._id, holder }, { $set: { expires_at: 0 } }));
  }

  private newestEpoch(name: string): Promise<LeaseDoc | null> {
    return this.guard(() => this.leases.find({ name }).sort({ n: -1 }).limit(1).next());
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Step 1 of a commit: insert the version document, or take over one a crashed writer left. */
  private async claimVersion(change: RegistryCommit, vid: string): Promise<void> {
    const insert = () => this.guard(() => this.versions.insertOne({ _id: vid, ...change.version }));
    try {
      await insert();
      return;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
    const { kind, doc, expectedVersion } = change;
    const [existing, head] = await Promise.all([
      this.guard(() => this.versions.findOne({ _id: vid })),
      this.head(kind, doc.name),
    ]);
    const headVersion = head?.version ?? 0;
    const orphaned =
      existing !== null && headVersion === expectedVersion && Date.now() - Date.parse(existing.created_at) > ORPHAN_AFTER_MS;
    if (orphaned) {
      await this.guard(() => this.versions.deleteOne({ _id: vid, created_at: existing.created_at }));
      try {
        await insert();
        return;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
    throw new ConflictError(
      expectedVersion === 0 ? `${kind} '${doc.name}' already exists` : `${kind} '${doc.name}' version ${doc.version} was written by another request`,
      expectedVersion === 0 ? 'exists' : 'changed',
    );
  }

  private head(kind: RegistryKind, name: string): Promise<HeadDoc | null> {
    return this.guard(() => this.heads.findOne({ _id: headId(kind, name) }));
  }

  async recordAudit(event: AuditEvent): Promise<void> {
    await this.copyAudit(event);
  }

  /** Idempotent copy of an audit event (the head keeps it too, so a crash cannot lose it). */
  private async copyAudit(audit: AuditEvent): Promise<void> {
    await this.guard(() =>
      this.auditLog.replaceOne({ _id: audit.id }, { ...audit }, { upsert: true }).catch((err: unknown) => {
        // Two copies of the same event may race to upsert; the loser's duplicate key is harmless.
        if (!isDuplicate(err)) throw err;
      }),
    );
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const name = (err as Error).name ?? '';
      if (/MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoTopologyClosedError|PoolClearedError/.test(name)) {
        throw new BackendUnavailableError('MongoDB', (err as Error).message);
      }
      throw err;
    }
  }
}

function isDuplicate(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

function headId(kind: string, name: string): string {
  return `${kind}/${name}`;
}

function versionId(kind: string, name: string, version: number): string {
  return `${kind}/${name}/${version}`;
}

function strip<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}
