import { describe, expect, it } from 'vitest';
import {
  AUDIT_MAX_LIMIT,
  AUDIT_PAGE_SIZE,
  auditFiltersFromParams,
  hasAuditFilters,
  mayHaveMoreEvents,
  paramsWithAuditPatch,
  toAuditQuery,
} from './audit-filters.js';

const params = (query: string) => new URLSearchParams(query);

describe('the audit filters in the URL', () => {
  it('reads filters and falls back to the first page for a missing or odd limit', () => {
    expect(auditFiltersFromParams(params('kind=feature&name=usuario_idade&actor=ana&limit=150'))).toEqual({
      kind: 'feature',
      name: 'usuario_idade',
      actor: 'ana',
      limit: 150,
    });
    expect(auditFiltersFromParams(params('')).limit).toBe(AUDIT_PAGE_SIZE);
    expect(auditFiltersFromParams(params('limit=abc')).limit).toBe(AUDIT_PAGE_SIZE);
    expect(auditFiltersFromParams(params('limit=3')).limit).toBe(AUDIT_PAGE_SIZE);
    expect(auditFiltersFromParams(params('limit=999999')).limit).toBe(AUDIT_MAX_LIMIT);
  });

  it('sets and clears filters, trimming text, and starts again from the first page when one changes', () => {
    const next = paramsWithAuditPatch(params('kind=feature&limit=100'), { actor: ' ana ' });
    expect(next.toString()).toBe('kind=feature&actor=ana');
    expect(paramsWithAuditPatch(params('kind=feature&actor=ana'), { kind: '' }).toString()).toBe('actor=ana');
  });

  it('keeps the page when a filter is set to the value it already has', () => {
    expect(paramsWithAuditPatch(params('actor=ana&limit=100'), { actor: 'ana' }).toString()).toBe('actor=ana&limit=100');
  });

  it('raises the limit for "load more" and leaves the first page out of the URL', () => {
    expect(paramsWithAuditPatch(params('actor=ana'), { limit: 100 }).toString()).toBe('actor=ana&limit=100');
    expect(paramsWithAuditPatch(params('limit=100'), { limit: AUDIT_PAGE_SIZE }).toString()).toBe('');
    expect(paramsWithAuditPatch(params(''), { limit: AUDIT_MAX_LIMIT * 2 }).get('limit')).toBe(String(AUDIT_MAX_LIMIT));
  });

  it('sends only the filters that are set', () => {
    expect(toAuditQuery({ kind: '', name: '', actor: 'ana', limit: 50 })).toEqual({ actor: 'ana', limit: 50 });
    expect(hasAuditFilters({ kind: '', name: '', actor: '', limit: 100 })).toBe(false);
    expect(hasAuditFilters({ kind: 'job', name: '', actor: '', limit: 50 })).toBe(true);
  });

  it('offers more events only after a full page', () => {
    expect(mayHaveMoreEvents(50, { limit: 50 })).toBe(true);
    expect(mayHaveMoreEvents(49, { limit: 50 })).toBe(false);
    expect(mayHaveMoreEvents(AUDIT_MAX_LIMIT, { limit: AUDIT_MAX_LIMIT })).toBe(false);
  });
});
