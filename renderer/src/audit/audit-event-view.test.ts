import { describe, expect, it } from 'vitest';
import { auditKindLabel, auditObjectHref, auditVerb, detailLines, versionChange } from './audit-event-view.js';

describe('an audit event as shown', () => {
  it('links registry objects and jobs to their pages', () => {
    expect(auditObjectHref({ kind: 'feature', name: 'usuario_idade' })).toBe('/features/usuario_idade');
    expect(auditObjectHref({ kind: 'transform', name: 'user_stats' })).toBe('/transforms/user_stats');
    expect(auditObjectHref({ kind: 'data_source', name: 'transactions' })).toBe('/data-sources/transactions');
    expect(auditObjectHref({ kind: 'feature_group', name: 'perfil' })).toBe('/features?group=perfil');
    expect(auditObjectHref({ kind: 'entity', name: 'usuario' })).toBe('/features?entity=usuario');
    expect(auditObjectHref({ kind: 'job', name: 'a1b2' })).toBe('/jobs/a1b2');
  });

  it('does not link operations without an object page or without an object', () => {
    expect(auditObjectHref({ kind: 'alert', name: 'a1' })).toBeUndefined();
    expect(auditObjectHref({ kind: 'definitions', name: '-' })).toBeUndefined();
    expect(auditObjectHref({ kind: 'feature_group', name: '-' })).toBeUndefined();
    expect(auditObjectHref({ kind: 'alert_rule', name: '*' })).toBeUndefined();
  });

  it('words actions, kinds and versions', () => {
    expect(auditVerb('feature.deprecate')).toBe('deprecate');
    expect(auditVerb('feature_group.ingest_job')).toBe('ingest job');
    expect(auditVerb('POST /api/custom')).toBe('POST /api/custom');
    expect(auditKindLabel('data_source')).toBe('Data source');
    expect(auditKindLabel('stream_source')).toBe('stream source');
    expect(versionChange({ version_before: 1, version_after: 2 })).toBe('v1 → v2');
    expect(versionChange({ version_before: null, version_after: 1 })).toBe('new → v1');
    expect(versionChange({ version_before: null, version_after: null })).toBe('');
  });

  it('lists details as key: value lines', () => {
    expect(detailLines({ method: 'POST', route: '/api/ingest/:entity/:feature_group', status: 200 })).toEqual([
      'method: POST',
      'route: /api/ingest/:entity/:feature_group',
      'status: 200',
    ]);
    expect(detailLines(undefined)).toEqual([]);
  });
});
