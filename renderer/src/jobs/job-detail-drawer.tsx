import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import { useTranslation } from 'react-i18next';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { CodeBlock } from '../common/code-block.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatDuration } from '../common/format-duration.js';
import { formatTime } from '../common/format-time.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { useNow } from '../common/use-now.js';
import { IngestReportView } from './ingest-report-view.js';
import { JobCancelButton } from './job-cancel-button.js';
import { JobErrorView } from './job-error-view.js';
import { JobProgressView } from './job-progress-view.js';
import { JobStateChip } from './job-state-chip.js';
import { ingestReportOf, jobDurationMs } from './job-view.js';
import { useJobEvents } from './use-job-events.js';
import { JobLogsPanel } from '../training/job-logs-panel.js';
import { TrainingSetResultCard } from '../training/training-set-result-card.js';
import { engineOf, isLogGrowing, trainingSetResultOf } from '../training/training-job-view.js';

interface JobDetailDrawerProps {
  jobId: string | undefined;
  /** The job as last listed, shown until the live events arrive. */
  listed: Job | undefined;
  onClose: () => void;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </>
  );
}

/** One job, live: progress while it runs (server-sent events), Cancel, then its result or error. */
export function JobDetailDrawer({ jobId, listed, onClose }: JobDetailDrawerProps) {
  return (
    <Drawer anchor="right" open={jobId !== undefined} onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', md: 720 } } } }}>
      <Toolbar />
      {jobId && <JobDetail jobId={jobId} listed={listed} onClose={onClose} />}
    </Drawer>
  );
}

function JobDetail({ jobId, listed, onClose }: { jobId: string; listed: Job | undefined; onClose: () => void }) {
  const { t } = useTranslation('jobs');
  const { job, error } = useJobEvents(jobId, listed);
  const now = useNow(job !== undefined && !isTerminal(job.state));
  const report = job ? ingestReportOf(job) : undefined;
  const trainingSet = job ? trainingSetResultOf(job) : undefined;
  const duration = job ? jobDurationMs(job, now) : undefined;

  return (
    <Box sx={{ p: 3, display: 'grid', gap: 2.5 }} data-testid="job-detail" data-job-id={jobId} data-state={job?.state}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2" sx={{ fontWeight: 650, overflowWrap: 'anywhere' }} data-testid="job-detail-title">
            {job?.title ?? t('detail.job')}
          </Typography>
          {job && (
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 0.5 }}>
              <JobStateChip state={job.state} />
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {t(`kind.${job.kind}`)}
              </Typography>
            </Box>
          )}
        </Box>
        {job && !isTerminal(job.state) && <JobCancelButton jobId={job.id} />}
        <IconButton aria-label={t('detail.close')} onClick={onClose} data-testid="close-job">
          <CloseOutlined />
        </IconButton>
      </Box>
      {error !== undefined && <ErrorAlert error={error} />}
      {!job ? (
        error === undefined && <LoadingState label={t('detail.loading')} />
      ) : (
        <>
          <JobProgressView job={job} />
          {report ? (
            <IngestReportView report={report} />
          ) : trainingSet ? (
            <TrainingSetResultCard jobId={job.id} result={trainingSet} />
          ) : (
            job.result && <CodeBlock label={t('detail.result')} code={JSON.stringify(job.result, null, 2)} />
          )}
          <JobErrorView job={job} />
          {/* Spark runs (transforms and training sets) keep the driver's output as the job's log. */}
          {engineOf(job) === 'spark' && <JobLogsPanel key={job.state} jobId={job.id} isGrowing={isLogGrowing(job)} isInitiallyOpen={job.state === 'failed'} />}
          <Divider />
          <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: '120px minmax(0, 1fr)', rowGap: 1, columnGap: 2 }}>
            <Fact label={t('detail.id')}>
              <Box component="span" sx={MONO_SX}>
                {job.id}
              </Box>
            </Fact>
            <Fact label={t('detail.created')}>{formatTime(job.created_at)}</Fact>
            <Fact label={t('detail.started')}>{job.started_at ? formatTime(job.started_at) : t('detail.notYet')}</Fact>
            <Fact label={t('detail.finished')}>{job.finished_at ? formatTime(job.finished_at) : '—'}</Fact>
            <Fact label={t('detail.duration')}>{duration === undefined ? '—' : formatDuration(duration)}</Fact>
            <Fact label={t('detail.by')}>{job.created_by}</Fact>
          </Box>
          <CodeBlock label={t('detail.parameters')} code={JSON.stringify(job.params, null, 2)} />
        </>
      )}
    </Box>
  );
}
