import { describe, expect, it } from 'vitest';
import type { LineageGraph, LineageNode } from '@shared/api/transforms.js';
import { layoutLineage, lineageHref } from './lineage-layout.js';

const node = (kind: string, name: string): LineageNode => ({ id: `${kind}:${name}`, kind, name, version: 1, status: 'active' });

describe('layoutLineage', () => {
  it('reads sources -> transform -> group -> features, left to right', () => {
    const graph: LineageGraph = {
      root: 'feature:avg_transaction_value',
      nodes: [
        node('feature', 'transaction_count'),
        node('feature', 'avg_transaction_value'),
        node('feature_group', 'user_stats'),
        node('transform', 'user_stats'),
        node('data_source', 'transactions'),
      ],
      edges: [
        { from: 'data_source:transactions', to: 'transform:user_stats' },
        { from: 'transform:user_stats', to: 'feature_group:user_stats' },
        { from: 'feature_group:user_stats', to: 'feature:avg_transaction_value' },
        { from: 'feature_group:user_stats', to: 'feature:transaction_count' },
      ],
    };
    expect(layoutLineage(graph).map((c) => c.nodes.map((n) => n.id))).toEqual([
      ['data_source:transactions'],
      ['transform:user_stats'],
      ['feature_group:user_stats'],
      ['feature:avg_transaction_value', 'feature:transaction_count'],
    ]);
  });

  it('places a node after its furthest upstream node', () => {
    const graph = {
      nodes: [node('data_source', 'a'), node('transform', 't1'), node('feature_group', 'g1'), node('transform', 't2')],
      edges: [
        { from: 'data_source:a', to: 'transform:t1' },
        { from: 'transform:t1', to: 'feature_group:g1' },
        { from: 'feature_group:g1', to: 'transform:t2' },
        { from: 'data_source:a', to: 'transform:t2' },
      ],
    };
    expect(layoutLineage(graph).map((c) => c.depth)).toEqual([0, 1, 2, 3]);
    expect(layoutLineage(graph)[3]?.nodes.map((n) => n.name)).toEqual(['t2']);
  });

  it('places an entity just before the group it describes, not with the sources', () => {
    const graph = {
      nodes: [node('data_source', 'tx'), node('transform', 't'), node('feature_group', 'g'), node('entity', 'user'), node('feature', 'f')],
      edges: [
        { from: 'data_source:tx', to: 'transform:t' },
        { from: 'transform:t', to: 'feature_group:g' },
        { from: 'entity:user', to: 'feature_group:g' },
        { from: 'feature_group:g', to: 'feature:f' },
      ],
    };
    expect(layoutLineage(graph).map((c) => c.nodes.map((n) => n.id))).toEqual([
      ['data_source:tx'],
      ['transform:t', 'entity:user'],
      ['feature_group:g'],
      ['feature:f'],
    ]);
  });

  it('ends on a cycle and ignores edges to unknown nodes', () => {
    const graph = {
      nodes: [node('transform', 'a'), node('transform', 'b')],
      edges: [
        { from: 'transform:a', to: 'transform:b' },
        { from: 'transform:b', to: 'transform:a' },
        { from: 'transform:a', to: 'feature:missing' },
      ],
    };
    const nodes = layoutLineage(graph).flatMap((c) => c.nodes.map((n) => n.name));
    expect(nodes.sort()).toEqual(['a', 'b']);
  });
});

describe('lineageHref', () => {
  it('links every kind to its page', () => {
    expect(lineageHref({ kind: 'feature', name: 'avg_transaction_value' })).toBe('/features/avg_transaction_value');
    expect(lineageHref({ kind: 'transform', name: 'user_stats' })).toBe('/transforms/user_stats');
    expect(lineageHref({ kind: 'data_source', name: 'transactions' })).toBe('/data-sources/transactions');
    expect(lineageHref({ kind: 'feature_group', name: 'user_stats' })).toBe('/features?group=user_stats');
    expect(lineageHref({ kind: 'entity', name: 'user' })).toBe('/features?entity=user');
    expect(lineageHref({ kind: 'model', name: 'x' })).toBeUndefined();
  });
});
