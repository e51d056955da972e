import type { Alert } from '@shared/api/monitoring.js';

/** Firing before resolved; among firing, unacknowledged first; then the most recently seen first. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  const rank = (a: Alert) => (a.state === 'firing' ? (a.acknowledged_at === null ? 0 : 1) : 2);
  return [...alerts].sort((a, b) => rank(a) - rank(b) || b.last_seen_at.localeCompare(a.last_seen_at) || a.target.localeCompare(b.target));
}

