import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ListFeaturesQuery } from '@shared/api/client.js';

export interface FeatureFilters {
  q: string;
  entity: string;
  tag: string;
  /** A feature group, set by links from lineage and transforms (`?group=`). */
  group: string;
  includeArchived: boolean;
}

const EMPTY: FeatureFilters = { q: '', entity: '', tag: '', group: '', includeArchived: false };

/** The Features page filters, kept in the URL (`#/features?q=...&entity=...`) so views can be shared. */
export function useFeatureFilters() {
  const [params, setParams] = useSearchParams();

  const filters = useMemo(() => filtersFrom(params), [params]);

  const setFilters = useCallback(
    (patch: Partial<FeatureFilters>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          const merged = { ...filtersFrom(current), ...patch };
          for (const key of ['q', 'entity', 'tag', 'group'] as const) {
            if (merged[key]) next.set(key, merged[key]);
            else next.delete(key);
          }
          if (merged.includeArchived) next.set('archived', '1');
          else next.delete('archived');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const clearFilters = useCallback(() => setFilters(EMPTY), [setFilters]);
  const hasFilters = filters.q !== '' || filters.entity !== '' || filters.tag !== '' || filters.group !== '' || filters.includeArchived;
  return { filters, setFilters, clearFilters, hasFilters };
}

function filtersFrom(params: URLSearchParams): FeatureFilters {
  return {
    q: params.get('q') ?? '',
    entity: params.get('entity') ?? '',
    tag: params.get('tag') ?? '',
    group: params.get('group') ?? '',
    includeArchived: params.get('archived') === '1',
  };
}

export function toListQuery(filters: FeatureFilters): ListFeaturesQuery {
  return {
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.entity ? { entity: filters.entity } : {}),
    ...(filters.tag ? { tag: filters.tag } : {}),
    ...(filters.group ? { feature_group: filters.group } : {}),
    ...(filters.includeArchived ? { include_archived: true } : {}),
  };
}
