import { randomUUID } from 'node:crypto';
import { open, type Key, type RootDatabase } from 'lmdb';
import type { AuditEvent, VersionRecord } from '@shared/domain/schemas.js';
import type { RegistryKind } from '@shared/domain/names.js';
import { ConflictError } from '../../errors/app-error.js';
import type { Connection } from '@shared/api/connections.js';
import type { ApiKeyRecord } from '../../auth/api-key-record.js';
import type { AuditFilter, RegistryCommit, RegistryStore, StoredDoc } from '../registry-store.js';
import { LmdbJobRecords } from './lmdb-job-records.js';
import { LmdbMonitoringRecords } from './lmdb-monitoring-records.js';

/**
 * Embedded registry on LMDB. Heads, versions and audit events live in one environment so a commit
 * is one ACID transaction. Keys:
 *   ['head', kind, name]            -> current document
 *   ['ver', kind, name, version]    -> VersionRecord
 *   ['audit', time, id]             -> AuditEvent (time-ordered)
 *   ['apikey', id]                  -> ApiKeyRecord
 *   ['connection', name]            -> Connection
 *   ['state', name]                 -> watermark value
 *   ['lease', name]                 -> { holder, expiresAt }
 *   ['job' | 'jobcancel' | 'joblog', id] -> job records (lmdb-job-records.ts)
 *   ['mon', ...]                    -> monitoring records (lmdb-monitoring-records.ts)
 */
export class LmdbRegistryStore implements RegistryStore {
  readonly description: string;
  readonly sharedByReplicas = false;
  readonly jobs: LmdbJobRecords;
  readonly monitoring: LmdbMonitoringRecords;
  private readonly db: RootDatabase<unknown, Key>;

  constructor(path: string) {
    this.description = `embedded LMDB at ${path}`;
    this.db = open<unknown, Key>({ path, compression: false });
    this.jobs = new LmdbJobRecords(this.db);
    this.monitoring = new LmdbMonitoringRecords(this.db);
  }

  async get(kind: RegistryKind, name: string): Promise<StoredDoc | undefined> {
    return this.db.get(['head', kind, name]) as StoredDoc | undefined;
  }

  async list(kind: RegistryKind): Promise<StoredDoc[]> {
    const out: StoredDoc[] = [];
    for (const { value } of this.db.getRange({ start: ['head', kind], end: ['head', kind, '\uffff'] })) {
      out.push(value as StoredDoc);
    }
    return out;
  }

  async commit(change: RegistryCommit): Promise<void> {
    const { kind, doc, expectedVersion } = change;
    this.db.transactionSync(() => {
      const head = this.db.get(['head', kind, doc.name]) as StoredDoc | undefined;
      const current = head?.version ?? 0;
      if (current !== expectedVersion) {
        throw new ConflictError(
          expectedVersion === 0
            ? `${kind} '${doc.name}' already exists`
            : `${kind} '${doc.name}' is at version ${current}, not ${expectedVersion}`,
          expectedVersion === 0 ? 'exists' : 'changed',
        );
      }
      this.db.putSync(['head', kind, doc.name], doc);
      this.db.putSync(['ver', kind, doc.name, change.version.version], change.version);
      this.db.putSync(['audit', change.audit.time, change.audit.id || randomUUID()], change.audit);
    });
  }

  async listVersions(kind: RegistryKind, name: string): Promise<VersionRecord[]> {
    const out: VersionRecord[] = [];
    for (const { value } of this.db.getRange({ start: ['ver', kind, name, 0], end: ['ver', kind, name, Number.MAX_SAFE_INTEGER] })) {
      out.push(value as VersionRecord);
    }
    return out;
  }

  async getVersion(kind: RegistryKind, name: string, version: number): Promise<VersionRecord | undefined> {
    return this.db.get(['ver', kind, name, version]) as VersionRecord | undefined;
  }

  async recordAudit(event: AuditEvent): Promise<void> {
    await this.db.put(['audit', event.time, event.id], event);
  }

  async listAudit(filter: AuditFilter): Promise<AuditEvent[]> {
    const limit = filter.limit ?? 100;
    const out: AuditEvent[] = [];
    for (const { value } of this.db.getRange({ start: ['audit', '\uffff'], end: ['audit', ''], reverse: true })) {
      const e = value as AuditEvent;
      if (filter.kind && e.kind !== filter.kind) continue;
      if (filter.name && e.name !== filter.name) continue;
      if (filter.actor && e.actor !== filter.actor) continue;
      out.push(e);
      if (out.length >= limit) break;
    }
    return out;
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.db.put(['apikey', record.id], record);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    return this.db.get(['apikey', id]) as ApiKeyRecord | undefined;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const out: ApiKeyRecord[] = [];
    for (const { value } of this.db.getRange({ start: ['apikey'], end: ['apikey', '\uffff'] })) out.push(value as ApiKeyRecord);
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async touchApiKey(id: string, time: string): Promise<void> {
    await this.db.transaction(() => {
      const record = this.db.get(['apikey', id]) as ApiKeyRecord | undefined;
      if (record) this.db.putSync(['apikey', id], { ...record, last_used_at: time });
    });
  }

  async createConnection(record: Connection): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.get(['connection', record.name]) !== undefined) return false;
      this.db.putSync(['connection', record.name], record);
      return true;
    });
  }

  async replaceConnection(record: Connection): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.get(['connection', record.name]) === undefined) return false;
      this.db.putSync(['connection', record.name], record);
      return true;
    });
  }

  async getConnection(name: string): Promise<Connection | undefined> {
    return this.db.get(['connection', name]) as Connection | undefined;
  }

  async listConnections(): Promise<Connection[]> {
    const out: Connection[] = [];
    for (const { value } of this.db.getRange({ start: ['connection'], end: ['connection', '\uffff'] })) out.push(value as Connection);
    return out;
  }

  async deleteConnection(name: string): Promise<boolean> {
    return this.db.transaction(() => (this.db.get(['connection', name]) === undefined ? false : this.db.removeSync(['connection', name])));
  }

  async getState(name: string): Promise<number | string | undefined> {
    return this.db.get(['state', name]) as number | string | undefined;
  }

  async setState(name: string, value: number | string): Promise<void> {
    await this.db.put(['state', name], value);
  }

  async acquireLease(name: string, holder: string, ttlMs: number, nowMs = Date.now()): Promise<boolean> {
    return this.db.transactionSync(() => {
      const lease = this.db.get(['lease', name]) as LeaseRecord | undefined;
      if (lease && lease.holder !== holder && lease.expiresAt > nowMs) return false;
      this.db.putSync(['lease', name], { holder, expiresAt: nowMs + ttlMs } satisfies LeaseRecord);
      return true;
    });
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.db.transactionSync(() => {
      const lease = this.db.get(['lease', name]) as LeaseRecord | undefined;
      if (lease?.holder === holder) this.db.removeSync(['lease', name]);
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

interface LeaseRecord {
  holder: string;
  expiresAt: number;
}
