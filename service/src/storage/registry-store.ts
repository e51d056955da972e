/**
 * The registry role: definitions, their immutable versions, the audit log, the API keys, and the
 * small state replicas share (watermarks, leases, jobs and monitoring records, so that work runs
 * once and every replica sees it).
 */
import type { AuditEvent, VersionRecord } from '@shared/domain/schemas.js';
import type { RegistryKind } from '@shared/domain/names.js';
import type { Connection } from '@shared/api/connections.js';
import type { ApiKeyRecord } from '../auth/api-key-record.js';
import type { JobRecordStore } from './job-records.js';
import type { MonitoringRecordStore } from './monitoring-records.js';

export type StoredDoc = Record<string, unknown> & { name: string; version: number };

export interface RegistryCommit {
  kind: RegistryKind;
  /** The new head document; its `version` must be expectedVersion + 1. */
  doc: StoredDoc;
  /** 0 when the object must not exist yet. */
  expectedVersion: number;
  version: VersionRecord;
  audit: AuditEvent;
}

export interface AuditFilter {
  kind?: string;
  name?: string;
  actor?: string;
  limit?: number;
}

export interface RegistryStore {
  readonly description: string;
  /**
   * True when other processes (replicas) may use the same store at once (MongoDB); false for the
   * embedded LMDB, whose jobs only the one service process of its data folder runs.
   */
  readonly sharedByReplicas: boolean;
  /** Jobs (state, progress, logs), so that every replica sees and can cancel every job. */
  readonly jobs: JobRecordStore;
  /** Batch quality, write counts, alert rules and alerts, so that rules are evaluated once for all replicas. */
  readonly monitoring: MonitoringRecordStore;
  get(kind: RegistryKind, name: string): Promise<StoredDoc | undefined>;
  list(kind: RegistryKind): Promise<StoredDoc[]>;
  /**
   * Stores the new head, its version record and the audit event, if and only if the current head's
   * version equals `expectedVersion`. Otherwise throws ConflictError and stores nothing.
   */
  commit(change: RegistryCommit): Promise<void>;
  listVersions(kind: RegistryKind, name: string): Promise<VersionRecord[]>;
  getVersion(kind: RegistryKind, name: string, version: number): Promise<VersionRecord | undefined>;
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<AuditEvent[]>;
  /** Records an audit event of an operation that is not a registry change (ingestion, runs, alerts). */
  recordAudit(event: AuditEvent): Promise<void>;
  /** Inserts or replaces the key with `record.id`. */
  putApiKey(record: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Oldest first, revoked keys included. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Sets last_used_at only, so it cannot undo a rotation or revocation written meanwhile. */
  touchApiKey(id: string, time: string): Promise<void>;
  /** Saved connections (shared/api/connections.ts): false when one of that name already exists. */
  createConnection(record: Connection): Promise<boolean>;
  /** False when no connection has that name. */
  replaceConnection(record: Connection): Promise<boolean>;
  getConnection(name: string): Promise<Connection | undefined>;
  /** By name. */
  listConnections(): Promise<Connection[]>;
  /** False when no connection has that name. */
  deleteConnection(name: string): Promise<boolean>;
  /** Where incremental work left off (SQL pulls, materialization), shared by every replica. */
  getState(name: string): Promise<number | string | undefined>;
  setState(name: string, value: number | string): Promise<void>;
  /**
   * Takes or renews the lease `name` for `holder` until `nowMs + ttlMs` (holders' clocks are assumed
   * to agree to well within a ttl): true when `holder` holds it now (it was free, expired, released,
   * or `holder`'s own), false while another holder's lease is live. Of concurrent takers of a free
   * lease exactly one gets true.
   */
  acquireLease(name: string, holder: string, ttlMs: number, nowMs?: number): Promise<boolean>;
  /** Gives the lease up, if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  close(): Promise<void>;
}
