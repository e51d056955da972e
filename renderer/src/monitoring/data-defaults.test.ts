import { describe, expect, it } from 'vitest';
import type { OperationsReport } from '@shared/api/monitoring.js';
import { pickEntityWithData } from './data-defaults.js';

const group = (entity: string, newest: string | null): OperationsReport['freshness'][number] => ({
  entity,
  feature_group: 'g',
  newest_event_time: newest,
  age_seconds: null,
  ttl_seconds: null,
  stale: false,
  coverage: null,
});

describe('pickEntityWithData', () => {
  it('opens on the entity with the newest data, not the first name', () => {
    const freshness = [group('alpha', null), group('loja', '2024-03-10T18:00:00.000Z'), group('cliente', '2023-01-01T00:00:00.000Z')];
    expect(pickEntityWithData(freshness, ['alpha', 'cliente', 'loja'])).toBe('loja');
  });

  it('skips entities that no longer exist, and falls back to the first name without recorded writes', () => {
    expect(pickEntityWithData([group('gone', '2025-01-01T00:00:00.000Z')], ['alpha', 'beta'])).toBe('alpha');
    expect(pickEntityWithData([], [])).toBeUndefined();
  });
});
