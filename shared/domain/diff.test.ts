import { describe, expect, it } from 'vitest';
import { diffDefinitions, summarizeChanges } from './diff.js';

describe('diffDefinitions', () => {
  it('lists changed, added and removed fields in field order, comparing arrays and objects deeply', () => {
    const changes = diffDefinitions(
      { name: 'f', tags: ['a', 'b'], source: null, meta: { x: 1 }, gone: 1 },
      { name: 'f', tags: ['a', 'b'], source: 's3://x', meta: { x: 2 }, added: true },
    );
    expect(changes).toEqual([
      { field: 'added', before: null, after: true },
      { field: 'gone', before: 1, after: null },
      { field: 'meta', before: { x: 1 }, after: { x: 2 } },
      { field: 'source', before: null, after: 's3://x' },
    ]);
    expect(summarizeChanges(changes)).toBe('changed added, gone, meta, source');
    expect(diffDefinitions({ tags: ['a'] }, { tags: ['a'] })).toEqual([]);
    expect(diffDefinitions({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toHaveLength(1);
  });
});
