import { useEffect, useState } from 'react';
import { useClient } from '../api/use-client.js';
import { resolveDataDefaults } from './data-defaults.js';
import type { MonitoringViewPatch } from './monitoring-view.js';

interface DataDefaultsRequest {
  /** The URL's entity; empty: pick one with data. */
  entity: string;
  /** Whether the URL names both windows; if not, windows come from the data's event times. */
  hasWindows: boolean;
  /** Empty until the entities are loaded. */
  entityNames: readonly string[];
  setView: (patch: MonitoringViewPatch) => void;
}

/**
 * Fills what the URL leaves out from the data (once per entity). True while it is being looked up,
 * so the page does not first draw the wall-clock windows' empty charts. A failed look-up keeps the
 * wall-clock defaults: the page still works, only less helpfully.
 */
export function useDataDefaults({ entity, hasWindows, entityNames, setView }: DataDefaultsRequest): boolean {
  const { client } = useClient();
  const isNeeded = entityNames.length > 0 && (entity === '' || !hasWindows);
  const key = isNeeded ? `${entity}\n${entityNames.join(',')}` : '';
  const [doneKey, setDoneKey] = useState('');

  useEffect(() => {
    if (key === '' || key === doneKey) return;
    let isCancelled = false;
    resolveDataDefaults(client, { entity, entityNames, hasWindows })
      .catch((): MonitoringViewPatch => ({}))
      .then((patch) => {
        if (isCancelled) return;
        // The entity picked here counts as resolved too, so its windows are not looked up twice.
        setDoneKey(patch.entity !== undefined ? `${patch.entity}\n${entityNames.join(',')}` : key);
        if (Object.keys(patch).length > 0) setView(patch);
      });
    return () => {
      isCancelled = true;
    };
  }, [client, key, doneKey, entity, entityNames, hasWindows, setView]);

  return key !== '' && key !== doneKey;
}
