/**
 * Lays a lineage graph out in columns, upstream to downstream: each node sits one column right of
 * its furthest upstream node (longest path), so sources -> transform -> group -> features read
 * left to right, also when transforms read other transforms' groups. Nodes nothing flows into
 * (sources, entities) then move right to sit just before the first node they feed.
 */
import { i18n } from '../i18n/i18n.js';
import type { LineageGraph, LineageNode } from '@shared/api/transforms.js';

export interface LineageColumn {
  depth: number;
  nodes: LineageNode[];
}

const KIND_ORDER = ['data_source', 'transform', 'feature_group', 'feature', 'feature_service', 'entity'];

export function layoutLineage(graph: Pick<LineageGraph, 'nodes' | 'edges'>): LineageColumn[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
  // Relaxing every edge |nodes| times settles all longest paths of an acyclic graph; the cap keeps
  // a (malformed) cycle from looping forever.
  for (let round = 0; round < graph.nodes.length; round++) {
    let isChanged = false;
    for (const { from, to } of edges) {
      const candidate = (depth.get(from) ?? 0) + 1;
      if (candidate > (depth.get(to) ?? 0) && candidate < graph.nodes.length) {
        depth.set(to, candidate);
        isChanged = true;
      }
    }
    if (!isChanged) break;
  }
  const hasInput = new Set(edges.map((e) => e.to));
  for (const node of graph.nodes) {
    if (hasInput.has(node.id)) continue;
    const fed = edges.filter((e) => e.from === node.id).map((e) => depth.get(e.to) ?? 0);
    if (fed.length > 0) depth.set(node.id, Math.max(depth.get(node.id) ?? 0, Math.min(...fed) - 1));
  }
  const columns = new Map<number, LineageNode[]>();
  for (const node of graph.nodes) {
    const d = depth.get(node.id) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), node]);
  }
  const kindRank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
  return [...columns]
    .sort(([a], [b]) => a - b)
    .map(([d, nodes]) => ({ depth: d, nodes: nodes.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.name.localeCompare(b.name)) }));
}

/** The app page of a lineage node; undefined for kinds without one. */
export function lineageHref(node: Pick<LineageNode, 'kind' | 'name'>): string | undefined {
  const name = encodeURIComponent(node.name);
  switch (node.kind) {
    case 'data_source':
      return `/data-sources/${name}`;
    case 'transform':
      return `/transforms/${name}`;
    case 'feature':
      return `/features/${name}`;
    case 'feature_group':
      return `/features?group=${name}`;
    case 'entity':
      return `/features?entity=${name}`;
    case 'feature_service':
      return `/feature-services/${name}`;
    default:
      return undefined;
  }
}

const LINEAGE_KINDS = ['data_source', 'transform', 'feature_group', 'feature', 'feature_service', 'entity'] as const;

/** A node kind as people read it, in the UI language; an unknown kind as the service names it. */
export function lineageKindLabel(kind: string): string {
  const known = LINEAGE_KINDS.find((k) => k === kind);
  return known ? i18n.t(`registry:lineage.kinds.${known}`) : kind;
}
