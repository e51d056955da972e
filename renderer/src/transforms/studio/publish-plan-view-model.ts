/** How the publish dialog orders and words the plan's changes. */
import type { ObjectChange, PublishPlan } from '@shared/api/transforms.js';
import { i18n } from '../../i18n/i18n.js';

const KIND_ORDER = ['transform', 'entity', 'feature_group', 'feature', 'data_source'] as const;
type KnownKind = (typeof KIND_ORDER)[number];
const isKnownKind = (kind: string): kind is KnownKind => (KIND_ORDER as readonly string[]).includes(kind);
const ACTION_ORDER: Record<ObjectChange['action'], number> = { create: 0, update: 1, archive: 2, unchanged: 3 };

/** A change's action as the user reads it, in the UI language. */
export function actionLabel(action: ObjectChange['action']): string {
  return i18n.t(`transforms:action.${action}`);
}

export function kindLabel(kind: string): string {
  return isKnownKind(kind) ? i18n.t(`transforms:kind.${kind}`) : kind.replace(/_/g, ' ');
}

/** The transform first, then what it writes; within a kind, creations before updates and archives. */
export function orderedChanges(plan: Pick<PublishPlan, 'changes'>): ObjectChange[] {
  const kindRank = (kind: string) => {
    const index = isKnownKind(kind) ? KIND_ORDER.indexOf(kind) : -1;
    return index === -1 ? KIND_ORDER.length : index;
  };
  return [...plan.changes].sort(
    (a, b) => kindRank(a.kind) - kindRank(b.kind) || ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || a.name.localeCompare(b.name),
  );
}

/** "2 to create, 1 to update" — the changes that matter, for the dialog's summary line. */
export function summarizePlan(plan: Pick<PublishPlan, 'changes'>): string {
  const counts = { create: 0, update: 0, archive: 0 };
  for (const change of plan.changes) if (change.action !== 'unchanged') counts[change.action]++;
  const parts: string[] = [
    counts.create > 0 ? i18n.t('transforms:plan.toCreate', { count: counts.create }) : '',
    counts.update > 0 ? i18n.t('transforms:plan.toUpdate', { count: counts.update }) : '',
    counts.archive > 0 ? i18n.t('transforms:plan.toArchive', { count: counts.archive }) : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : i18n.t('transforms:plan.nothingChanges');
}

/** The version an object will have after publishing: "v3 → v4", "new", "v2 (archived)". */
export function versionTransition(change: ObjectChange): string {
  const before = change.version_before;
  switch (change.action) {
    case 'create':
      return i18n.t('transforms:plan.new');
    case 'update':
      return before === null ? i18n.t('transforms:plan.updated') : `v${before} → v${before + 1}`;
    case 'archive':
      return before === null ? i18n.t('transforms:plan.archived') : i18n.t('transforms:plan.toArchived', { before });
    case 'unchanged':
      return before === null ? '' : `v${before}`;
  }
}
