import { describe, expect, it } from 'vitest';
import { routeKind } from '../src/monitoring/route-kind.js';

describe('routeKind', () => {
  it('reads online reads as serving, the rest of /api and the service endpoints as api, pages and static files as ui', () => {
    expect(routeKind('/api/online/features')).toBe('serving');
    expect(routeKind('/api/features/')).toBe('api');
    expect(routeKind('/api/monitoring/operations')).toBe('api');
    expect(routeKind('/metrics')).toBe('api');
    expect(routeKind('/docs/static/*')).toBe('api');
    expect(routeKind('/openapi.json')).toBe('api');
    expect(routeKind('/')).toBe('ui');
    expect(routeKind('/*')).toBe('ui');
    expect(routeKind('/assets/index-abc123.js')).toBe('ui');
    expect(routeKind('unmatched')).toBe('ui');
    expect(routeKind('/apiary')).toBe('ui');
  });
});
