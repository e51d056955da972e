/** How the Definitions page orders and words a plan, in the CLI's terms (`fstore plan`). */
import type { ApplyResult, DefinitionPlan, LintWarning, PlannedChange } from '@shared/api/definitions.js';
import { DEFINITION_KINDS } from '@shared/api/definitions.js';

export type PlanAction = PlannedChange['action'];

export const PLAN_ACTION_LABELS: Record<PlanAction, string> = {
  create: 'Create',
  update: 'Update',
  restore: 'Restore',
  archive: 'Archive',
  unchanged: 'Unchanged',
  not_listed: 'Not listed',
};

/** The CLI's markers, so the app and the terminal read alike. */
export const PLAN_ACTION_SIGNS: Record<PlanAction, string> = { create: '+', update: '~', restore: '^', archive: '-', unchanged: ' ', not_listed: '?' };

const ACTION_ORDER: Record<PlanAction, number> = { create: 0, update: 1, restore: 2, archive: 3, not_listed: 4, unchanged: 5 };
/** Actions that write when the plan is applied. */
const WRITING_ACTIONS: ReadonlySet<PlanAction> = new Set(['create', 'update', 'restore', 'archive']);

export const DEFINITION_KIND_LABELS: Record<string, string> = {
  entity: 'Entity',
  feature_group: 'Feature group',
  feature: 'Feature',
  data_source: 'Data source',
  transform: 'Transform',
  feature_service: 'Feature service',
};

export function definitionKindLabel(kind: string): string {
  return DEFINITION_KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

export function isWritingChange(change: Pick<PlannedChange, 'action'>): boolean {
  return WRITING_ACTIONS.has(change.action);
}

/** Parents before children (entities, groups, features, sources, transforms); within a kind, what writes first. */
export function orderedPlanChanges(changes: readonly PlannedChange[]): PlannedChange[] {
  const kindRank = (kind: string) => {
    const index = (DEFINITION_KINDS as readonly string[]).indexOf(kind);
    return index === -1 ? DEFINITION_KINDS.length : index;
  };
  return [...changes].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || a.name.localeCompare(b.name));
}

/** The CLI's last line: "Plan: 0 to create, 1 to update, 0 to restore, 0 to archive, 4 unchanged, 1 not listed (kept)." */
export function planSummary(plan: Pick<DefinitionPlan, 'summary' | 'breaking'>, isPruning: boolean): string {
  const count = (action: PlanAction) => plan.summary[action] ?? 0;
  return (
    `Plan: ${count('create')} to create, ${count('update')} to update, ${count('restore')} to restore, ${count('archive')} to archive, ${count('unchanged')} unchanged` +
    (isPruning ? '' : `, ${count('not_listed')} not listed (kept)`) +
    (plan.breaking ? '. Contains BREAKING changes.' : '.')
  );
}

/** How many objects applying would write. */
export function writingChangeCount(plan: Pick<DefinitionPlan, 'changes'>): number {
  return plan.changes.filter(isWritingChange).length;
}

/** The version an object will have: "new", "v3 → v4", "v2 → archived", "v2, kept". */
export function planVersionTransition(change: Pick<PlannedChange, 'action' | 'version_before'>): string {
  const before = change.version_before;
  const current = before === null ? '' : `v${before}`;
  switch (change.action) {
    case 'create':
      return 'new';
    case 'update':
      return before === null ? 'updated' : `${current} → v${before + 1}`;
    case 'restore':
      return before === null ? 'restored' : `${current} (archived) → restored`;
    case 'archive':
      return before === null ? 'archived' : `${current} → archived`;
    case 'unchanged':
      return current;
    case 'not_listed':
      return before === null ? 'kept' : `${current}, kept`;
  }
}

/** Naming hints per object (`kind:name`), in the order the service gave them. */
export function warningsByObject(warnings: readonly LintWarning[]): Map<string, LintWarning[]> {
  const grouped = new Map<string, LintWarning[]>();
  for (const w of warnings) {
    const key = `${w.kind}:${w.name}`;
    grouped.set(key, [...(grouped.get(key) ?? []), w]);
  }
  return grouped;
}

const APPLIED_WORDS: Record<string, string> = { create: 'created', update: 'updated', restore: 'restored', archive: 'archived' };

/** What an apply did to an object, in the past tense ("updated"). */
export function appliedActionWord(action: string): string {
  return APPLIED_WORDS[action] ?? action;
}

/** "Applied 2 changes: 1 created, 1 updated." or "Nothing to apply: the registry already matches." */
export function appliedSummary(result: Pick<ApplyResult, 'applied'>): string {
  if (result.applied.length === 0) return 'Nothing to apply: the registry already matches the folder.';
  const counts = new Map<string, number>();
  for (const a of result.applied) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  const parts = [...counts].map(([action, n]) => `${n} ${appliedActionWord(action)}`);
  return `Applied ${result.applied.length} ${result.applied.length === 1 ? 'change' : 'changes'}: ${parts.join(', ')}.`;
}

/** Transforms to run again after an apply, each once, for the applied changes to reach the stores. */
export function transformsToRerun(result: Pick<ApplyResult, 'plan'>): string[] {
  return [...new Set(result.plan.changes.filter(isWritingChange).flatMap((c) => c.recompute))];
}
