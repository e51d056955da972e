import { defaultWindows, formatWindowParam, parseWindowParam, type DateWindow } from './time-windows.js';

export const MONITORING_TABS = ['drift', 'quality', 'operations', 'alerts'] as const;
export type MonitoringTab = (typeof MONITORING_TABS)[number];

/** What the Monitoring page shows; kept in the URL so a view can be linked (and deep-linked by tests). */
export interface MonitoringView {
  tab: MonitoringTab;
  /** Empty: the page picks the first entity. */
  entity: string;
  /** Empty: every group of the entity. */
  group: string;
  baseline: DateWindow;
  current: DateWindow;
  /** The drift feature whose charts are open; empty: the page picks one. */
  feature: string;
}

export type MonitoringViewPatch = Partial<MonitoringView>;

const isTab = (raw: string | null): raw is MonitoringTab => (MONITORING_TABS as readonly (string | null)[]).includes(raw);

/** Reads the view from `?tab=&entity=&group=&baseline=a..b&current=a..b&feature=`; missing or invalid parts take defaults. */
export function viewFromParams(params: URLSearchParams, today: string): MonitoringView {
  const defaults = defaultWindows(today);
  const tab = params.get('tab');
  return {
    tab: isTab(tab) ? tab : 'drift',
    entity: params.get('entity') ?? '',
    group: params.get('group') ?? '',
    baseline: parseWindowParam(params.get('baseline')) ?? defaults.baseline,
    current: parseWindowParam(params.get('current')) ?? defaults.current,
    feature: params.get('feature') ?? '',
  };
}

/**
 * The query string after a change. Another entity clears the group and the feature (they belong
 * to the old entity); another group clears the feature.
 */
export function paramsWithPatch(current: URLSearchParams, patch: MonitoringViewPatch): URLSearchParams {
  const next = new URLSearchParams(current);
  const setOrDelete = (key: string, value: string) => (value === '' ? next.delete(key) : next.set(key, value));
  if (patch.entity !== undefined && patch.entity !== (current.get('entity') ?? '')) {
    next.delete('group');
    next.delete('feature');
  }
  if (patch.group !== undefined && patch.group !== (current.get('group') ?? '')) next.delete('feature');
  if (patch.tab !== undefined) setOrDelete('tab', patch.tab === 'drift' ? '' : patch.tab);
  for (const key of ['entity', 'group', 'feature'] as const) {
    const value = patch[key];
    if (value !== undefined) setOrDelete(key, value);
  }
  for (const key of ['baseline', 'current'] as const) {
    const value = patch[key];
    if (value !== undefined) next.set(key, formatWindowParam(value));
  }
  return next;
}
