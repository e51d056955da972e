import type { ApiKeyInfo, CreateApiKeyRequest, IssuedApiKey } from '@shared/api/keys.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryStore } from '../storage/registry-store.js';
import { infoOf, type ApiKeyRecord } from './api-key-record.js';
import { hashSecret, newKeyId, newSecret, parseToken, secretMatches } from './api-key-secret.js';

export type Authentication = { ok: true; key: ApiKeyInfo } | { ok: false; reason: string };

/** last_used_at is written at most this often per key, so serving does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Creates, lists, rotates and revokes API keys in the registry store, and checks presented keys.
 * Keys are read from the store on every check, so a revocation by the CLI or another replica
 * takes effect on the next request.
 */
export class ApiKeyService {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly store: RegistryStore,
    private readonly now: () => Date = () => new Date(),
    private readonly onTouchError: (err: unknown) => void = () => {},
  ) {}

  async create(request: CreateApiKeyRequest, actor: string): Promise<IssuedApiKey> {
    const time = this.now();
    const expiresAt = request.expires_at ? new Date(request.expires_at) : null;
    if (expiresAt && !(expiresAt.getTime() > time.getTime())) {
      throw new AppError('FSTORE_VALIDATION_FAILED', `expires_at ${request.expires_at} is not in the future`);
    }
    const active = (await this.store.listApiKeys()).find((k) => k.name === request.name && !k.revoked);
    if (active) {
      throw new AppError('FSTORE_ALREADY_EXISTS', `An active API key named '${request.name}' exists (id ${active.id}); revoke or rotate it, or pick another name`);
    }
    const issued = newSecret(newKeyId());
    const record: ApiKeyRecord = {
      id: issued.id,
      name: request.name,
      role: request.role,
      created_at: time.toISOString(),
      created_by: actor,
      last_used_at: null,
      expires_at: expiresAt?.toISOString() ?? null,
      rotated_at: null,
      previous_secret_expires_at: null,
      revoked: false,
      revoked_at: null,
      secret_hash: hashSecret(issued.secret),
      previous_secret_hash: null,
    };
    await this.store.putApiKey(record);
    return { key: issued.token, info: infoOf(record) };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return (await this.store.listApiKeys()).map(infoOf);
  }

  /**
   * A new secret for the same id, name and role. The old secret keeps working for `graceSeconds`
   * (0: it stops at once), so clients can be redeployed without downtime.
   */
  async rotate(id: string, graceSeconds = 0): Promise<IssuedApiKey> {
    const record = await this.get(id);
    if (record.revoked) throw new AppError('FSTORE_VALIDATION_FAILED', `API key '${record.name}' (${id}) is revoked; create a new key instead`);
    const time = this.now();
    const issued = newSecret(id);
    const rotated: ApiKeyRecord = {
      ...record,
      secret_hash: hashSecret(issued.secret),
      rotated_at: time.toISOString(),
      previous_secret_hash: graceSeconds > 0 ? record.secret_hash : null,
      previous_secret_expires_at: graceSeconds > 0 ? new Date(time.getTime() + graceSeconds * 1000).toISOString() : null,
    };
    await this.store.putApiKey(rotated);
    return { key: issued.token, info: infoOf(rotated) };
  }

  /** Revokes the key; revoking a revoked key changes nothing. */
  async revoke(id: string): Promise<ApiKeyInfo> {
    const record = await this.get(id);
    if (record.revoked) return infoOf(record);
    const revoked: ApiKeyRecord = { ...record, revoked: true, revoked_at: this.now().toISOString() };
    await this.store.putApiKey(revoked);
    return infoOf(revoked);
  }

  async hasActiveKeys(): Promise<boolean> {
    const time = this.now().toISOString();
    return (await this.store.listApiKeys()).some((k) => !k.revoked && (k.expires_at === null || k.expires_at > time));
  }

  /** Checks a presented token; the reason of a failure is safe to show to the caller. */
  async authenticate(token: string): Promise<Authentication> {
    const parsed = parseToken(token);
    if (!parsed) return { ok: false, reason: 'The API key is malformed (expected fsk_<id>_<secret>)' };
    const record = await this.store.getApiKey(parsed.id);
    const time = this.now();
    const matchesCurrent = record !== undefined && secretMatches(parsed.secret, record.secret_hash);
    const previousHash = record?.previous_secret_hash ?? null;
    const previousUntil = record?.previous_secret_expires_at ?? null;
    const matchesPrevious =
      previousHash !== null && previousUntil !== null && Date.parse(previousUntil) > time.getTime() && secretMatches(parsed.secret, previousHash);
    if (!record || (!matchesCurrent && !matchesPrevious)) {
      return { ok: false, reason: 'The API key is not recognised (wrong, or replaced by a rotation)' };
    }
    if (record.revoked) return { ok: false, reason: `The API key '${record.name}' was revoked at ${record.revoked_at}` };
    if (record.expires_at !== null && Date.parse(record.expires_at) <= time.getTime()) {
      return { ok: false, reason: `The API key '${record.name}' expired at ${record.expires_at}` };
    }
    this.touch(record.id, time);
    return { ok: true, key: infoOf(record) };
  }

  private touch(id: string, time: Date): void {
    const last = this.lastTouched.get(id) ?? 0;
    if (time.getTime() - last < TOUCH_EVERY_MS) return;
    this.lastTouched.set(id, time.getTime());
    this.store.touchApiKey(id, time.toISOString()).catch(this.onTouchError);
  }

  private async get(id: string): Promise<ApiKeyRecord> {
    const record = await this.store.getApiKey(id);
    if (!record) throw new AppError('FSTORE_API_KEY_NOT_FOUND', `No API key with id '${id}'`);
    return record;
  }
}

