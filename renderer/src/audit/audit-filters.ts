import type { AuditQuery } from '@shared/api/client.js';

/** Events fetched at first and added by each "Load more". */
export const AUDIT_PAGE_SIZE = 50;
/** The service answers at most this many events per request. */
export const AUDIT_MAX_LIMIT = 10_000;

/** The Audit page's filters, kept in the URL (`#/audit?kind=&name=&actor=&limit=`) so a view can be shared. */
export interface AuditFilters {
  /** Empty: every kind. */
  kind: string;
  /** An exact object name; empty: any. */
  name: string;
  /** An exact actor; empty: anyone. */
  actor: string;
  limit: number;
}

export type AuditFiltersPatch = Partial<AuditFilters>;

const TEXT_KEYS = ['kind', 'name', 'actor'] as const;

export function auditFiltersFromParams(params: URLSearchParams): AuditFilters {
  const limit = Number(params.get('limit'));
  return {
    kind: params.get('kind') ?? '',
    name: params.get('name') ?? '',
    actor: params.get('actor') ?? '',
    limit: Number.isInteger(limit) && limit >= AUDIT_PAGE_SIZE ? Math.min(limit, AUDIT_MAX_LIMIT) : AUDIT_PAGE_SIZE,
  };
}

/** The query string after a change; another filter starts again from the first page. */
export function paramsWithAuditPatch(current: URLSearchParams, patch: AuditFiltersPatch): URLSearchParams {
  const next = new URLSearchParams(current);
  let isFilterChanged = false;
  for (const key of TEXT_KEYS) {
    const value = patch[key]?.trim();
    if (value === undefined || value === (current.get(key) ?? '')) continue;
    isFilterChanged = true;
    if (value === '') next.delete(key);
    else next.set(key, value);
  }
  if (patch.limit !== undefined && patch.limit > AUDIT_PAGE_SIZE) next.set('limit', String(Math.min(patch.limit, AUDIT_MAX_LIMIT)));
  else if (isFilterChanged || patch.limit !== undefined) next.delete('limit');
  return next;
}

export function toAuditQuery(filters: AuditFilters): AuditQuery {
  return {
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.name ? { name: filters.name } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    limit: filters.limit,
  };
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return filters.kind !== '' || filters.name !== '' || filters.actor !== '';
}

/** A full page means there may be older events; fewer means the log has no more. */
export function mayHaveMoreEvents(loaded: number, filters: Pick<AuditFilters, 'limit'>): boolean {
  return loaded >= filters.limit && filters.limit < AUDIT_MAX_LIMIT;
}
