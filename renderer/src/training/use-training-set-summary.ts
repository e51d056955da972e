import { useCallback } from 'react';
import type { TrainingSetSummary } from '@shared/api/serving.js';
import { useClient } from '../api/use-client.js';
import { useAsync, type AsyncState } from '../common/use-async.js';

/** Rows shown before download. */
export const PREVIEW_ROWS = 20;

/** A succeeded training-set job's first rows and per-feature coverage (GET /api/jobs/{id}/summary). */
export function useTrainingSetSummary(jobId: string): AsyncState<TrainingSetSummary> {
  const { client } = useClient();
  return useAsync(useCallback(() => client.jobs.summary(jobId, PREVIEW_ROWS), [client, jobId]));
}
