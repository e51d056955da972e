import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { useTranslation } from 'react-i18next';
import { describeRate, describeRows, phaseLabel, progressPercent } from './job-view.js';

interface JobProgressViewProps {
  job: Job;
  /** A single line for table cells. */
  isCompact?: boolean;
}

/** Phase, a progress bar (determinate once the row total is known), rows done of total and rows/s. */
export function JobProgressView({ job, isCompact = false }: JobProgressViewProps) {
  const { t } = useTranslation('jobs');
  const { progress, state } = job;
  const isDone = state === 'succeeded';
  const percent = isDone ? 100 : progressPercent(progress);
  const isActive = !isTerminal(state);
  const rows = describeRows(progress);
  const color = state === 'failed' ? 'error' : state === 'cancelled' ? 'warning' : isDone ? 'success' : 'primary';
  const phase = isDone ? 'done' : progress.phase;
  const phaseText = phaseLabel(phase);

  return (
    <Box data-testid="job-progress" data-phase={phase} data-state={state} sx={{ minWidth: isCompact ? 160 : undefined }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 0.75, flexWrap: 'wrap' }}>
        <Typography
          variant={isCompact ? 'caption' : 'body2'}
          sx={{ fontWeight: 600 }}
          data-testid="job-phase"
        >
          {phaseText.charAt(0).toUpperCase() + phaseText.slice(1)}
        </Typography>
        {rows && (
          <Typography variant={isCompact ? 'caption' : 'body2'} sx={{ color: 'text.secondary' }} data-testid="job-rows">
            {rows}
          </Typography>
        )}
        {!isCompact && isActive && progress.rows_per_second > 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary', ml: 'auto' }} data-testid="job-rate">
            {describeRate(progress.rows_per_second)}
          </Typography>
        )}
      </Box>
      <LinearProgress
        variant={percent === undefined ? (isActive ? 'indeterminate' : 'determinate') : 'determinate'}
        value={percent ?? 0}
        color={color}
        aria-label={t('progress.label', { phase: phaseText })}
        sx={{ height: isCompact ? 4 : 8, borderRadius: 4 }}
      />
    </Box>
  );
}
