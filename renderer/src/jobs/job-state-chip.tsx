import Chip from '@mui/material/Chip';
import type { JobState } from '@shared/api/jobs.js';
import { useTranslation } from 'react-i18next';
import { JOB_STATE_COLORS } from './job-view.js';

export function JobStateChip({ state }: { state: JobState }) {
  const { t } = useTranslation('jobs');
  const label = t(`state.${state}`);
  const color = JOB_STATE_COLORS[state];
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
