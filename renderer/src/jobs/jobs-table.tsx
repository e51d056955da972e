import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { formatDuration } from '../common/format-duration.js';
import { formatTime } from '../common/format-time.js';
import { useNow } from '../common/use-now.js';
import { JobProgressView } from './job-progress-view.js';
import { JobStateChip } from './job-state-chip.js';
import { JOB_KIND_LABELS, jobDurationMs } from './job-view.js';

export function JobsTable({ jobs }: { jobs: readonly Job[] }) {
  const navigate = useNavigate();
  const now = useNow(jobs.some((j) => !isTerminal(j.state)));
  return (
    <TableContainer>
      <Table size="small" aria-label="Jobs" data-testid="jobs-table">
        <TableHead>
          <TableRow>
            <TableCell>Job</TableCell>
            <TableCell>Kind</TableCell>
            <TableCell>State</TableCell>
            <TableCell sx={{ width: 260 }}>Progress</TableCell>
            <TableCell>Started</TableCell>
            <TableCell align="right">Duration</TableCell>
            <TableCell>By</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {jobs.map((job) => {
            const href = `/jobs/${encodeURIComponent(job.id)}`;
            const duration = jobDurationMs(job, now);
            return (
              <TableRow
                key={job.id}
                hover
                data-testid="job-row"
                data-job-id={job.id}
                data-state={job.state}
                onClick={() => navigate(href)}
                sx={{ cursor: 'pointer', '& td': { py: 1.25 } }}
              >
                <TableCell sx={{ maxWidth: 380 }}>
                  <Link component={RouterLink} to={href} underline="hover" onClick={(e) => e.stopPropagation()} sx={{ fontWeight: 600 }} data-testid="job-title">
                    {job.title}
                  </Link>
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{JOB_KIND_LABELS[job.kind]}</TableCell>
                <TableCell>
                  <JobStateChip state={job.state} />
                </TableCell>
                <TableCell>
                  <JobProgressView job={job} isCompact />
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {job.started_at ? formatTime(job.started_at) : <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>not yet</Typography>}
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {duration === undefined ? '—' : formatDuration(duration)}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{job.created_by}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
