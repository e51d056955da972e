import Chip from '@mui/material/Chip';
import type { JobState } from '@shared/api/jobs.js';
import { JOB_STATE_LABELS } from './job-view.js';

export function JobStateChip({ state }: { state: JobState }) {
  const { label, color } = JOB_STATE_LABELS[state];
  return (
    <Chip
      label={label}
      color={color}
      size="small"
      variant={state === 'running' || state === 'queued' ? 'outlined' : 'filled'}
      data-testid="job-state"
      data-state={state}
    />
  );
}
