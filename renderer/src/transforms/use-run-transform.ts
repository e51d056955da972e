import { useState } from 'react';
import type { TransformRunRequest } from '@shared/api/transforms.js';
import { useClient } from '../api/use-client.js';

/** Starts runs of a transform and remembers the latest run's job. */
export function useRunTransform(name: string) {
  const { client } = useClient();
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [isStarting, setIsStarting] = useState(false);

  const start = (request: TransformRunRequest = {}) => {
    setIsStarting(true);
    setError(undefined);
    client.transforms.run(name, request).then(
      (job) => {
        setJobId(job.id);
        setIsStarting(false);
      },
      (err: unknown) => {
        setError(err);
        setIsStarting(false);
      },
    );
  };

  return { jobId, error, isStarting, start };
}
