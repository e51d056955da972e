/** How the Definitions page orders and words a plan, in the CLI's terms (`fstore plan`). */
import type { ApplyResult, DefinitionPlan, LintWarning, PlannedChange } from '@shared/api/definitions.js';
import { DEFINITION_KINDS } from '@shared/api/definitions.js';
import { i18n } from '../i18n/i18n.js';
import enDefinitions from '../i18n/locales/en/definitions.js';

export type PlanAction = PlannedChange['action'];

/** The action's label in the UI language ("Create"). */
export function planActionLabel(action: PlanAction): string {
  return i18n.t(`definitions:actions.${action}`);
}

/** The CLI's markers, so the app and the terminal read alike. */
export const PLAN_ACTION_SIGNS: Record<PlanAction, string> = { create: '+', update: '~', restore: '^', archive: '-', unchanged: ' ', not_listed: '?' };

const ACTION_ORDER: Record<PlanAction, number> = { create: 0, update: 1, restore: 2, archive: 3, not_listed: 4, unchanged: 5 };
/** Actions that write when the plan is applied. */
const WRITING_ACTIONS: ReadonlySet<PlanAction> = new Set(['create', 'update', 'restore', 'archive']);

type KnownKind = keyof typeof enDefinitions.kinds;
const isKnownKind = (kind: string): kind is KnownKind => Object.hasOwn(enDefinitions.kinds, kind);

export function definitionKindLabel(kind: string): string {
  return isKnownKind(kind) ? i18n.t(`definitions:kinds.${kind}`) : kind.replace(/_/g, ' ');
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
    i18n.t('definitions:summary.plan', {
      create: count('create'),
      update: count('update'),
      restore: count('restore'),
      archive: count('archive'),
      unchanged: count('unchanged'),
    }) +
    (isPruning ? '' : i18n.t('definitions:summary.notListed', { count: count('not_listed') })) +
    (plan.breaking ? i18n.t('definitions:summary.breaking') : i18n.t('definitions:summary.end'))
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
      return i18n.t('definitions:version.new');
    case 'update':
      return before === null ? i18n.t('definitions:version.updated') : `${current} → v${before + 1}`;
    case 'restore':
      return before === null ? i18n.t('definitions:version.restored') : i18n.t('definitions:version.archivedToRestored', { before: current });
    case 'archive':
      return before === null ? i18n.t('definitions:version.archived') : i18n.t('definitions:version.toArchived', { before: current });
    case 'unchanged':
      return current;
    case 'not_listed':
      return before === null ? i18n.t('definitions:version.kept') : i18n.t('definitions:version.beforeKept', { before: current });
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

type AppliedAction = keyof typeof enDefinitions.applied;
const isAppliedAction = (action: string): action is AppliedAction => Object.hasOwn(enDefinitions.applied, action);

/** What an apply did to an object, in the past tense ("updated"). */
export function appliedActionWord(action: string): string {
  return isAppliedAction(action) ? i18n.t(`definitions:applied.${action}`) : action;
}

/** "Applied 2 changes: 1 created, 1 updated." or "Nothing to apply: the registry already matches." */
export function appliedSummary(result: Pick<ApplyResult, 'applied'>): string {
  if (result.applied.length === 0) return i18n.t('definitions:appliedSummary.nothing');
  const counts = new Map<string, number>();
  for (const a of result.applied) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  const parts = [...counts].map(([action, n]) => `${n} ${appliedActionWord(action)}`);
  return i18n.t('definitions:appliedSummary.some', { count: result.applied.length, parts: parts.join(', ') });
}

/** Transforms to run again after an apply, each once, for the applied changes to reach the stores. */
export function transformsToRerun(result: Pick<ApplyResult, 'plan'>): string[] {
  return [...new Set(result.plan.changes.filter(isWritingChange).flatMap((c) => c.recompute))];
}
