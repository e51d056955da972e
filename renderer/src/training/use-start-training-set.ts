import { useState } from 'react';
import type { Job } from '@shared/api/jobs.js';
import type { TrainingSetJobRequest } from '@shared/api/serving.js';
import { useClient } from '../api/use-client.js';
import { useClearWhenServiceBack } from '../layout/use-clear-when-service-back.js';

/**
 * Starts training-set jobs and remembers the latest one as queued (its events tell the rest). A
 * start that could not reach the service is forgotten once the health poll sees the service back.
 */
export function useStartTrainingSet() {
  const { client } = useClient();
  const [job, setJob] = useState<Job>();
  const [error, setError] = useState<unknown>();
  const [isStarting, setIsStarting] = useState(false);
  useClearWhenServiceBack(error, () => setError(undefined));

  const start = (request: TrainingSetJobRequest) => {
    setIsStarting(true);
    setError(undefined);
    setJob(undefined);
    client.jobs.trainingSet(request).then(
      (queued) => {
        setJob(queued);
        setIsStarting(false);
      },
      (err: unknown) => {
        setError(err);
        setIsStarting(false);
      },
    );
  };

  return { job, error, isStarting, start };
}
