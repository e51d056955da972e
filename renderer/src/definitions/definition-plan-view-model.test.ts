import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '@shared/api/definitions.js';
import {
  appliedActionWord,
  appliedSummary,
  definitionKindLabel,
  orderedPlanChanges,
  planSummary,
  planVersionTransition,
  transformsToRerun,
  warningsByObject,
  writingChangeCount,
} from './definition-plan-view-model.js';

const change = (kind: PlannedChange['kind'], name: string, action: PlannedChange['action'], versionBefore: number | null = null): PlannedChange => ({
  kind,
  name,
  action,
  version_before: versionBefore,
  changes: [],
  breaking: false,
  reasons: [],
  dependents: [],
  recompute: [],
  feature_services: [],
});

describe('a definitions plan as shown', () => {
  const changes = [
    change('transform', 'stats', 'unchanged', 1),
    change('feature', 'usuario_score', 'not_listed', 2),
    change('feature', 'usuario_idade', 'update', 3),
    change('entity', 'usuario', 'unchanged', 1),
    change('feature', 'usuario_altura', 'create'),
    change('data_source', 'old_src', 'archive', 1),
  ];

  it('lists parents before children, and within a kind what writes first', () => {
    expect(orderedPlanChanges(changes).map((c) => `${c.kind}:${c.name}`)).toEqual([
      'entity:usuario',
      'feature:usuario_altura',
      'feature:usuario_idade',
      'feature:usuario_score',
      'data_source:old_src',
      'transform:stats',
    ]);
  });

  it('summarizes like the CLI, with not-listed objects unless pruning', () => {
    const plan = { summary: { create: 1, update: 1, unchanged: 2, not_listed: 1 }, breaking: false };
    expect(planSummary(plan, false)).toBe('Plan: 1 to create, 1 to update, 0 to restore, 0 to archive, 2 unchanged, 1 not listed (kept).');
    expect(planSummary({ summary: { archive: 1 }, breaking: true }, true)).toBe(
      'Plan: 0 to create, 0 to update, 0 to restore, 1 to archive, 0 unchanged. Contains BREAKING changes.',
    );
  });

  it('counts only what applying writes', () => {
    expect(writingChangeCount({ changes })).toBe(3);
    expect(writingChangeCount({ changes: [change('entity', 'usuario', 'unchanged', 1), change('feature', 'x', 'not_listed', 1)] })).toBe(0);
  });

  it('words each version transition', () => {
    expect(planVersionTransition(change('feature', 'x', 'create'))).toBe('new');
    expect(planVersionTransition(change('feature', 'x', 'update', 3))).toBe('v3 → v4');
    expect(planVersionTransition(change('feature', 'x', 'restore', 2))).toBe('v2 (archived) → restored');
    expect(planVersionTransition(change('feature', 'x', 'archive', 2))).toBe('v2 → archived');
    expect(planVersionTransition(change('feature', 'x', 'unchanged', 5))).toBe('v5');
    expect(planVersionTransition(change('feature', 'x', 'not_listed', 1))).toBe('v1, kept');
    expect(definitionKindLabel('data_source')).toBe('Data source');
  });

  it('groups naming hints by object', () => {
    const grouped = warningsByObject([
      { kind: 'feature', name: 'x', rule: 'description', message: 'no description' },
      { kind: 'entity', name: 'x', rule: 'description', message: 'entity has no description' },
      { kind: 'feature', name: 'x', rule: 'tags', message: 'no tags' },
    ]);
    expect([...grouped.keys()]).toEqual(['feature:x', 'entity:x']);
    expect(grouped.get('feature:x')!.map((w) => w.rule)).toEqual(['description', 'tags']);
  });

  it('summarizes what was applied', () => {
    expect(
      appliedSummary({
        applied: [
          { kind: 'feature', name: 'a', action: 'update', version: 2 },
          { kind: 'feature', name: 'b', action: 'create', version: 1 },
          { kind: 'feature', name: 'c', action: 'update', version: 4 },
        ],
      }),
    ).toBe('Applied 3 changes: 2 updated, 1 created.');
    expect(appliedSummary({ applied: [] })).toBe('Nothing to apply: the registry already matches the folder.');
    expect(appliedActionWord('restore')).toBe('restored');
  });
});

describe('transformsToRerun', () => {
  it('lists each transform once, from the changes that were written', () => {
    const updated = { ...change('transform', 'stats', 'update', 1), recompute: ['stats', 'daily'] };
    const source = { ...change('data_source', 'src', 'update', 2), recompute: ['stats'] };
    const kept = { ...change('transform', 'other', 'unchanged', 1), recompute: ['other'] };
    const plan = { changes: [updated, source, kept], summary: {}, breaking: false, warnings: [] };
    expect(transformsToRerun({ plan })).toEqual(['stats', 'daily']);
  });
});
