import { useEffect, useState } from 'react';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { useClient } from '../api/use-client.js';
import { useClearWhenServiceBack } from '../layout/use-clear-when-service-back.js';

export interface JobEventsState {
  job: Job | undefined;
  error: unknown;
}

/**
 * Follows a job live through its server-sent events (`event: job`, one at once and one per change).
 * The stream is closed as soon as the job ends, so EventSource does not reconnect to a finished job.
 */
export function useJobEvents(jobId: string | undefined, initial?: Job): JobEventsState {
  const { client } = useClient();
  const [state, setState] = useState<{ id: string; job?: Job; error?: unknown }>();
  // Bumped to follow the job again once the service is back after it could not be reached.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!jobId) return undefined;
    let isCurrent = true;
    const source = new EventSource(client.jobs.eventsUrl(jobId));
    source.addEventListener('job', (event) => {
      const job = JSON.parse((event as MessageEvent<string>).data) as Job;
      if (isCurrent) setState({ id: jobId, job });
      if (isTerminal(job.state)) source.close();
    });
    source.addEventListener('error', () => {
      // CLOSED: the browser gave up (e.g. 404); CONNECTING means it retries on its own.
      if (source.readyState !== EventSource.CLOSED) return;
      client.jobs.get(jobId).then(
        (job) => isCurrent && setState({ id: jobId, job }),
        (error: unknown) => isCurrent && setState((s) => ({ id: jobId, ...(s?.id === jobId && s.job ? { job: s.job } : {}), error })),
      );
    });
    return () => {
      isCurrent = false;
      source.close();
    };
  }, [client, jobId, attempt]);

  const isThisJob = state !== undefined && state.id === jobId;
  const fallback = initial && initial.id === jobId ? initial : undefined;
  const error = isThisJob ? state.error : undefined;
  useClearWhenServiceBack(error, () => {
    setState((s) => (s ? { id: s.id, ...(s.job ? { job: s.job } : {}) } : s));
    setAttempt((a) => a + 1);
  });
  return { job: (isThisJob ? state.job : undefined) ?? fallback, error };
}
