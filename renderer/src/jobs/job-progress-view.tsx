import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { formatCount } from '../common/format-number.js';
import { progressPercent } from './job-view.js';

interface JobProgressViewProps {
  job: Job;
  /** A single line for table cells. */
  isCompact?: boolean;
}

/** Phase, a progress bar (determinate once the row total is known), rows done of total and rows/s. */
export function JobProgressView({ job, isCompact = false }: JobProgressViewProps) {
  const { progress, state } = job;
  const isDone = state === 'succeeded';
  const percent = isDone ? 100 : progressPercent(progress);
  const isActive = !isTerminal(state);
  const rows =
    progress.rows_total !== null
      ? `${formatCount(progress.rows_done)} of ${formatCount(progress.rows_total)} rows`
      : progress.rows_done > 0
        ? `${formatCount(progress.rows_done)} rows`
        : undefined;
  const color = state === 'failed' ? 'error' : state === 'cancelled' ? 'warning' : isDone ? 'success' : 'primary';
  const phase = isDone ? 'done' : progress.phase;

  return (
    <Box data-testid="job-progress" data-phase={phase} data-state={state} sx={{ minWidth: isCompact ? 160 : undefined }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 0.75, flexWrap: 'wrap' }}>
        <Typography
          variant={isCompact ? 'caption' : 'body2'}
          sx={{ fontWeight: 600 }}
          data-testid="job-phase"
        >
          {phase.charAt(0).toUpperCase() + phase.slice(1)}
        </Typography>
        {rows && (
          <Typography variant={isCompact ? 'caption' : 'body2'} sx={{ color: 'text.secondary' }} data-testid="job-rows">
            {rows}
          </Typography>
        )}
        {!isCompact && isActive && progress.rows_per_second > 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary', ml: 'auto' }} data-testid="job-rate">
            {formatCount(Math.round(progress.rows_per_second))} rows/s
          </Typography>
        )}
      </Box>
      <LinearProgress
        variant={percent === undefined ? (isActive ? 'indeterminate' : 'determinate') : 'determinate'}
        value={percent ?? 0}
        color={color}
        aria-label={`Progress: ${phase}`}
        sx={{ height: isCompact ? 4 : 8, borderRadius: 4 }}
      />
    </Box>
  );
}
