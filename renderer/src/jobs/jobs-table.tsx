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
import { useTranslation } from 'react-i18next';
import { jobDurationMs } from './job-view.js';

export function JobsTable({ jobs }: { jobs: readonly Job[] }) {
  const { t } = useTranslation('jobs');
  const navigate = useNavigate();
  const now = useNow(jobs.some((j) => !isTerminal(j.state)));
  return (
    <TableContainer>
      <Table size="small" aria-label={t('table.label')} data-testid="jobs-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('table.job')}</TableCell>
            <TableCell>{t('table.kind')}</TableCell>
            <TableCell>{t('table.state')}</TableCell>
            <TableCell sx={{ width: 260 }}>{t('table.progress')}</TableCell>
            <TableCell>{t('table.started')}</TableCell>
            <TableCell align="right">{t('table.duration')}</TableCell>
            <TableCell>{t('table.by')}</TableCell>
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
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{t(`kind.${job.kind}`)}</TableCell>
                <TableCell>
                  <JobStateChip state={job.state} />
                </TableCell>
                <TableCell>
                  <JobProgressView job={job} isCompact />
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {job.started_at ? formatTime(job.started_at) : <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>{t('table.notYet')}</Typography>}
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
