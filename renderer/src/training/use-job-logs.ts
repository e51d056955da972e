import { useCallback, useEffect } from 'react';
import type { JobLogs } from '@shared/api/jobs.js';
import { useClient } from '../api/use-client.js';
import { useAsync, type AsyncState } from '../common/use-async.js';

const REFRESH_MS = 4_000;

/** What the job's engine printed (GET /api/jobs/{id}/logs), read again every few seconds while `isGrowing` (a Spark job still running). */
export function useJobLogs(jobId: string, isGrowing: boolean): AsyncState<JobLogs> {
  const { client } = useClient();
  const logs = useAsync(useCallback(() => client.jobs.logs(jobId), [client, jobId]));
  const { reload } = logs;
  useEffect(() => {
    if (!isGrowing) return undefined;
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [isGrowing, reload]);
  return logs;
}
