import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { auditFiltersFromParams, paramsWithAuditPatch, type AuditFiltersPatch } from './audit-filters.js';

/** The Audit page's filters, read from and written to the URL. */
export function useAuditFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => auditFiltersFromParams(params), [params]);
  const setFilters = useCallback(
    (patch: AuditFiltersPatch) => setParams((previous) => paramsWithAuditPatch(previous, patch), { replace: true }),
    [setParams],
  );
  return { filters, setFilters };
}
