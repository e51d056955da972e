import { useState } from 'react';
import type { Alert } from '@shared/api/monitoring.js';
import { useClient } from '../api/use-client.js';

/**
 * Acknowledges alerts. The acknowledged alert the service returns is shown at once, over the list
 * it was clicked in, until the list is reloaded (the reload carries the acknowledgement too).
 */
export function useAcknowledge(alerts: readonly Alert[] | undefined, onAcknowledged: () => void) {
  const { client } = useClient();
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const [acknowledged, setAcknowledged] = useState<{ list: readonly Alert[] | undefined; byId: ReadonlyMap<string, Alert> }>({ list: undefined, byId: new Map() });

  const acknowledge = (alert: Alert) => {
    setError(undefined);
    setPending((p) => new Set(p).add(alert.id));
    const settle = () =>
      setPending((p) => {
        const next = new Set(p);
        next.delete(alert.id);
        return next;
      });
    client.monitoring.alerts.acknowledge(alert.id).then(
      (acked) => {
        setAcknowledged((a) => ({ list: alerts, byId: new Map(a.list === alerts ? a.byId : []).set(acked.id, acked) }));
        settle();
        onAcknowledged();
      },
      (err: unknown) => {
        setError(err);
        settle();
      },
    );
  };

  const shown = alerts && acknowledged.list === alerts ? alerts.map((a) => acknowledged.byId.get(a.id) ?? a) : alerts;
  return { shown, pending, error, acknowledge };
}
