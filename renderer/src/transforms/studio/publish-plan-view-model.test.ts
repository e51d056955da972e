import { describe, expect, it } from 'vitest';
import type { ObjectChange } from '@shared/api/transforms.js';
import { kindLabel, orderedChanges, summarizePlan, versionTransition } from './publish-plan-view-model.js';

const change = (kind: string, name: string, action: ObjectChange['action'], versionBefore: number | null = null): ObjectChange => ({
  kind,
  name,
  action,
  version_before: versionBefore,
  changes: [],
  breaking: false,
});

describe('the publish plan as shown', () => {
  const plan = {
    changes: [
      change('feature', 'transaction_count', 'create'),
      change('feature', 'avg_transaction_value', 'update', 1),
      change('feature_group', 'user_stats', 'unchanged', 3),
      change('feature', 'old_feature', 'archive', 2),
      change('transform', 'user_stats', 'update', 1),
    ],
  };

  it('lists the transform first, then the group, then features by action', () => {
    expect(orderedChanges(plan).map((c) => `${c.kind}:${c.name}`)).toEqual([
      'transform:user_stats',
      'feature_group:user_stats',
      'feature:transaction_count',
      'feature:avg_transaction_value',
      'feature:old_feature',
    ]);
  });

  it('summarizes what changes, ignoring unchanged objects', () => {
    expect(summarizePlan(plan)).toBe('1 to create, 2 to update, 1 to archive');
    expect(summarizePlan({ changes: [change('feature', 'x', 'unchanged', 1)] })).toBe('Nothing changes');
  });

  it('words version transitions and kinds', () => {
    expect(versionTransition(change('feature', 'x', 'create'))).toBe('new');
    expect(versionTransition(change('feature', 'x', 'update', 3))).toBe('v3 → v4');
    expect(versionTransition(change('feature', 'x', 'archive', 2))).toBe('v2 → archived');
    expect(versionTransition(change('feature', 'x', 'unchanged', 5))).toBe('v5');
    expect(kindLabel('feature_group')).toBe('Feature group');
    expect(kindLabel('stream_source')).toBe('stream source');
  });
});
