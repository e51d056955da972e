/**
 * The lineage graph from registry definitions: data source -> transform -> feature group -> feature
 * -> feature service, and feature group -> data source when a source reads a group. From any object: everything upstream
 * and everything downstream of it.
 */
import type { LineageGraph, LineageNode, LineageRef } from '@shared/api/transforms.js';
import type { RegistryKind } from '@shared/domain/names.js';
import type { RegistryService } from '../registry/registry-service.js';

const id = (kind: string, name: string) => `${kind}:${name}`;

export async function buildLineage(registry: RegistryService, kind: RegistryKind, name: string): Promise<LineageGraph> {
  await registry.get(kind, name);
  const { nodes, edges } = await fullGraph(registry);
  const root = id(kind, name);
  const reached = new Set([root, ...walk(root, edges, 'down'), ...walk(root, edges, 'up')]);
  return {
    root,
    nodes: [...reached].map((n) => nodes.get(n)).filter((n): n is LineageNode => n !== undefined),
    edges: edges.filter((e) => reached.has(e.from) && reached.has(e.to)),
  };
}

/** Everything downstream of an object (what a change to it may affect), excluding itself. */
export async function downstreamOf(registry: RegistryService, kind: RegistryKind, name: string): Promise<LineageRef[]> {
  const { nodes, edges } = await fullGraph(registry);
  return [...walk(id(kind, name), edges, 'down')].flatMap((n) => {
    const node = nodes.get(n);
    return node ? [{ kind: node.kind, name: node.name }] : [];
  });
}

async function fullGraph(registry: RegistryService): Promise<{ nodes: Map<string, LineageNode>; edges: { from: string; to: string }[] }> {
  const [entities, groups, features, sources, transforms, services] = await Promise.all([
    registry.list('entity', true),
    registry.list('feature_group', true),
    registry.list('feature', true),
    registry.list('data_source', true),
    registry.list('transform', true),
    registry.list('feature_service', true),
  ]);
  const nodes = new Map<string, LineageNode>();
  const add = (kind: string, doc: { name: string; version: number; status: string }) =>
    nodes.set(id(kind, doc.name), { id: id(kind, doc.name), kind, name: doc.name, version: doc.version, status: doc.status });
  entities.forEach((d) => add('entity', d));
  groups.forEach((d) => add('feature_group', d));
  features.forEach((d) => add('feature', d));
  sources.forEach((d) => add('data_source', d));
  transforms.forEach((d) => add('transform', d));
  services.forEach((d) => add('feature_service', d));
  const edges: { from: string; to: string }[] = [];
  for (const g of groups) edges.push({ from: id('entity', g.entity), to: id('feature_group', g.name) });
  for (const f of features) if (f.feature_group) edges.push({ from: id('feature_group', f.feature_group), to: id('feature', f.name) });
  for (const s of sources) if (s.type === 'feature_group' && s.feature_group) edges.push({ from: id('feature_group', s.feature_group), to: id('data_source', s.name) });
  for (const t of transforms) {
    for (const s of t.sources) edges.push({ from: id('data_source', s), to: id('transform', t.name) });
    edges.push({ from: id('transform', t.name), to: id('feature_group', t.feature_group) });
  }
  for (const s of services) for (const f of s.features) edges.push({ from: id('feature', f), to: id('feature_service', s.name) });
  return { nodes, edges };
}

function walk(start: string, edges: { from: string; to: string }[], direction: 'up' | 'down'): Set<string> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = direction === 'down' ? [e.from, e.to] : [e.to, e.from];
    // Entities are context, not data flow: walking down from one would reach every group it has.
    if (direction === 'down' && a.startsWith('entity:') && a !== start) continue;
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    for (const n of next.get(queue.shift()!) ?? []) {
      if (seen.has(n) || n === start) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}
