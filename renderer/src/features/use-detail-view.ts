import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

export type DetailTab = 'definition' | 'data' | 'versions' | 'diff' | 'lineage';

/** Tab and compared versions of the feature detail page, kept in the URL so they can be linked. */
export function useDetailView(latestVersion: number | undefined) {
  const [params, setParams] = useSearchParams();
  const rawTab = params.get('tab');
  const tab: DetailTab = rawTab === 'data' || rawTab === 'versions' || rawTab === 'diff' || rawTab === 'lineage' ? rawTab : 'definition';
  const latest = latestVersion ?? 1;
  const to = clampVersion(params.get('to'), latest) ?? latest;
  const from = clampVersion(params.get('from'), latest) ?? Math.max(1, to - 1);

  const setView = useCallback(
    (next: { tab?: DetailTab; from?: number; to?: number }) => {
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next.tab) updated.set('tab', next.tab);
          if (next.from !== undefined) updated.set('from', String(next.from));
          if (next.to !== undefined) updated.set('to', String(next.to));
          return updated;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { tab, from, to, setView };
}

function clampVersion(raw: string | null, latest: number): number | undefined {
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 1 && n <= latest ? n : undefined;
}
