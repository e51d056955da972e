import { describe, expect, it } from 'vitest';
import type { Alert } from '@shared/api/monitoring.js';
import { sortAlerts } from './alert-order.js';

const alert = (id: string, state: Alert['state'], lastSeen: string, acknowledged = false): Alert => ({
  id,
  rule: 'r',
  type: 'drift',
  target: id,
  state,
  value: 1,
  threshold: 0.2,
  message: '',
  fired_at: '2025-03-01T00:00:00Z',
  last_seen_at: lastSeen,
  resolved_at: state === 'resolved' ? lastSeen : null,
  acknowledged_at: acknowledged ? '2025-03-01T00:00:00Z' : null,
  acknowledged_by: acknowledged ? 'ana' : null,
});

describe('sortAlerts', () => {
  it('lists firing alerts first, unacknowledged before acknowledged, then the most recent', () => {
    const alerts = [
      alert('resolved_new', 'resolved', '2025-03-09T00:00:00Z'),
      alert('firing_acked', 'firing', '2025-03-08T00:00:00Z', true),
      alert('firing_old', 'firing', '2025-03-01T00:00:00Z'),
      alert('firing_new', 'firing', '2025-03-05T00:00:00Z'),
      alert('resolved_old', 'resolved', '2025-03-02T00:00:00Z'),
    ];
    expect(sortAlerts(alerts).map((a) => a.id)).toEqual(['firing_new', 'firing_old', 'firing_acked', 'resolved_new', 'resolved_old']);
    expect(alerts[0]!.id).toBe('resolved_new'); // the input is left as it was
  });
});
