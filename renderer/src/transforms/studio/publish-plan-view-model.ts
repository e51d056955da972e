/** How the publish dialog orders and words the plan's changes. */
import type { ObjectChange, PublishPlan } from '@shared/api/transforms.js';

export const OBJECT_KIND_LABELS: Record<string, string> = {
  transform: 'Transform',
  entity: 'Entity',
  feature_group: 'Feature group',
  feature: 'Feature',
  data_source: 'Data source',
};

const KIND_ORDER = ['transform', 'entity', 'feature_group', 'feature', 'data_source'];
const ACTION_ORDER: Record<ObjectChange['action'], number> = { create: 0, update: 1, archive: 2, unchanged: 3 };

export const ACTION_LABELS: Record<ObjectChange['action'], string> = {
  create: 'Create',
  update: 'Update',
  archive: 'Archive',
  unchanged: 'Unchanged',
};

export function kindLabel(kind: string): string {
  return OBJECT_KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/** The transform first, then what it writes; within a kind, creations before updates and archives. */
export function orderedChanges(plan: Pick<PublishPlan, 'changes'>): ObjectChange[] {
  const kindRank = (kind: string) => {
    const index = KIND_ORDER.indexOf(kind);
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
  const parts = [
    counts.create > 0 ? `${counts.create} to create` : '',
    counts.update > 0 ? `${counts.update} to update` : '',
    counts.archive > 0 ? `${counts.archive} to archive` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : 'Nothing changes';
}

/** The version an object will have after publishing: "v3 → v4", "new", "v2 (archived)". */
export function versionTransition(change: ObjectChange): string {
  const before = change.version_before;
  switch (change.action) {
    case 'create':
      return 'new';
    case 'update':
      return before === null ? 'updated' : `v${before} → v${before + 1}`;
    case 'archive':
      return before === null ? 'archived' : `v${before} → archived`;
    case 'unchanged':
      return before === null ? '' : `v${before}`;
  }
}
