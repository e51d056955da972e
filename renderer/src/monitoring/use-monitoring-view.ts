import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { paramsWithPatch, viewFromParams, type MonitoringView, type MonitoringViewPatch } from './monitoring-view.js';
import { parseWindowParam, utcDate, type DateWindow } from './time-windows.js';

/** The Monitoring page's view (tab, entity, group, windows, feature), read from and written to the URL. */
export function useMonitoringView() {
  const [params, setParams] = useSearchParams();
  // The default windows end today (UTC); a page left open past midnight keeps its day until reloaded.
  const [today] = useState(() => utcDate(Date.now()));
  const parsed = useMemo(() => viewFromParams(params, today), [params, today]);
  // Same dates, same object: selecting a feature or a tab must not refetch the window's reports.
  const baseline = useStableWindow(parsed.baseline);
  const current = useStableWindow(parsed.current);
  const view = useMemo<MonitoringView>(() => ({ ...parsed, baseline, current }), [parsed, baseline, current]);
  const setView = useCallback(
    (patch: MonitoringViewPatch) => setParams((previous) => paramsWithPatch(previous, patch), { replace: true }),
    [setParams],
  );
  // Windows the URL names (a link, a choice) are kept; without them the page looks for the data's own.
  const hasWindows = parseWindowParam(params.get('baseline')) !== undefined && parseWindowParam(params.get('current')) !== undefined;
  return { view, setView, today, hasWindows };
}

function useStableWindow({ start, end }: DateWindow): DateWindow {
  return useMemo(() => ({ start, end }), [start, end]);
}
