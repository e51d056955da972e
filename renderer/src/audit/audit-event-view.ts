/** How the Audit page words and links one event. */
import type { AuditEvent } from '@shared/domain/schemas.js';
import { formatValue } from '../common/format-value.js';
import { lineageHref } from '../lineage/lineage-layout.js';

/** Kinds the service records (registry objects first), for the kind filter. */
export const AUDIT_KINDS = [
  'entity',
  'feature_group',
  'feature',
  'data_source',
  'transform',
  'definitions',
  'job',
  'upload',
  'stream',
  'alert_rule',
  'alert',
] as const;

const KIND_LABELS: Record<string, string> = {
  entity: 'Entity',
  feature_group: 'Feature group',
  feature: 'Feature',
  data_source: 'Data source',
  transform: 'Transform',
  definitions: 'Definitions',
  job: 'Job',
  upload: 'Upload',
  stream: 'Stream',
  alert_rule: 'Alert rule',
  alert: 'Alert',
};

const REGISTRY_KINDS = new Set(['entity', 'feature_group', 'feature', 'data_source', 'transform']);
/** Operation events name no single object ('-') or all of them ('*'). */
const NO_OBJECT = new Set(['-', '*', '']);

export function auditKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/** The app page of the event's object: registry objects and jobs have one. */
export function auditObjectHref(event: Pick<AuditEvent, 'kind' | 'name'>): string | undefined {
  if (NO_OBJECT.has(event.name)) return undefined;
  if (REGISTRY_KINDS.has(event.kind)) return lineageHref(event);
  if (event.kind === 'job') return `/jobs/${encodeURIComponent(event.name)}`;
  return undefined;
}

/** The verb of an action ("feature.update" -> "update", "feature_group.ingest_job" -> "ingest job"). */
export function auditVerb(action: string): string {
  const dot = action.indexOf('.');
  return (dot === -1 ? action : action.slice(dot + 1)).replace(/_/g, ' ');
}

/** "v1 → v2", "new → v1" for a creation, "" for operations that make no version. */
export function versionChange(event: Pick<AuditEvent, 'version_before' | 'version_after'>): string {
  const { version_before: before, version_after: after } = event;
  if (before === null && after === null) return '';
  const show = (v: number | null, none: string) => (v === null ? none : `v${v}`);
  return `${show(before, 'new')} → ${show(after, '—')}`;
}

/** The details as "key: value" lines in their recorded order. */
export function detailLines(details: AuditEvent['details']): string[] {
  return Object.entries(details ?? {}).map(([key, value]) => `${key}: ${formatValue(value)}`);
}
