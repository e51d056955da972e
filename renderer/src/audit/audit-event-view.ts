/** How the Audit page words and links one event. */
import type { AuditEvent } from '@shared/domain/schemas.js';
import { formatValue } from '../common/format-value.js';
import { i18n } from '../i18n/i18n.js';
import enAudit from '../i18n/locales/en/audit.js';
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

type KnownKind = keyof typeof enAudit.kinds;
type KnownVerb = keyof typeof enAudit.verbs;
const isKnownKind = (kind: string): kind is KnownKind => Object.hasOwn(enAudit.kinds, kind);
const isKnownVerb = (verb: string): verb is KnownVerb => Object.hasOwn(enAudit.verbs, verb);

const REGISTRY_KINDS = new Set(['entity', 'feature_group', 'feature', 'data_source', 'transform']);
/** Operation events name no single object ('-') or all of them ('*'). */
const NO_OBJECT = new Set(['-', '*', '']);

export function auditKindLabel(kind: string): string {
  return isKnownKind(kind) ? i18n.t(`audit:kinds.${kind}`) : kind.replace(/_/g, ' ');
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
  const verb = dot === -1 ? action : action.slice(dot + 1);
  return isKnownVerb(verb) ? i18n.t(`audit:verbs.${verb}`) : verb.replace(/_/g, ' ');
}

/** "v1 → v2", "new → v1" for a creation, "" for operations that make no version. */
export function versionChange(event: Pick<AuditEvent, 'version_before' | 'version_after'>): string {
  const { version_before: before, version_after: after } = event;
  if (before === null && after === null) return '';
  const show = (v: number | null, none: string) => (v === null ? none : `v${v}`);
  return `${show(before, i18n.t('audit:versionNew'))} → ${show(after, '—')}`;
}

/** The details as "key: value" lines in their recorded order. */
export function detailLines(details: AuditEvent['details']): string[] {
  return Object.entries(details ?? {}).map(([key, value]) => `${key}: ${formatValue(value)}`);
}
