import { useCallback, useEffect } from 'react';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { useClient } from '../api/use-client.js';
import { useAsync, type AsyncState } from '../common/use-async.js';

const POLL_MS = 2000;

/** Recent jobs, newest first; re-read every 2 s while any of them is queued or running. */
export function useJobs(limit = 100): AsyncState<Job[]> {
  const { client } = useClient();
  const jobs = useAsync(useCallback(() => client.jobs.list({ limit }), [client, limit]));
  const hasActive = (jobs.data ?? []).some((j) => !isTerminal(j.state));
  const { reload } = jobs;
  useEffect(() => {
    if (!hasActive) return undefined;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [hasActive, reload]);
  return jobs;
}
