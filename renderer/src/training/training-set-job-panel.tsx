import { Link as RouterLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { ErrorAlert } from '../common/error-alert.js';
import { SectionCard } from '../common/section-card.js';
import { JobCancelButton } from '../jobs/job-cancel-button.js';
import { JobProgressView } from '../jobs/job-progress-view.js';
import { JobStateChip } from '../jobs/job-state-chip.js';
import { JobLogsPanel } from './job-logs-panel.js';
import { hasEngineLog, isLogGrowing, jobFailureOf, trainingSetResultOf } from './training-job-view.js';
import { TrainingSetFailure } from './training-set-failure.js';
import { TrainingSetResultCard } from './training-set-result-card.js';

/** The training-set job, live: progress with Cancel, then the result with Download, or the error; the engine log for Spark and failures. */
export function TrainingSetJobPanel({ job, eventsError }: { job: Job; eventsError: unknown }) {
  const { t } = useTranslation('training');
  const result = trainingSetResultOf(job);
  const failure = jobFailureOf(job);
  const isActive = !isTerminal(job.state);
  return (
    <Box data-testid="training-job" data-job-id={job.id} data-state={job.state}>
      <SectionCard
        title={
          <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1.5 }}>
            {t('job.title')} <JobStateChip state={job.state} />
          </Box>
        }
        subtitle={job.title}
        actions={
          <>
            {isActive && <JobCancelButton jobId={job.id} />}
            <Button component={RouterLink} to={`/jobs/${encodeURIComponent(job.id)}`} data-testid="open-job">
              {t('job.open')}
            </Button>
          </>
        }
      >
        <Box sx={{ display: 'grid', gap: 2.5 }}>
          {eventsError !== undefined && <ErrorAlert error={eventsError} />}
          <JobProgressView job={job} />
          {result && <TrainingSetResultCard jobId={job.id} result={result} />}
          {failure && <TrainingSetFailure error={failure} />}
          {job.state === 'cancelled' && (
            <Alert severity="warning" data-testid="training-cancelled">
              {job.error?.message ? t('job.cancelledWith', { message: job.error.message }) : t('job.cancelled')}
            </Alert>
          )}
          {/* Keyed by state: the log is read again when the job moves on, and opens by itself on a failure. */}
          {hasEngineLog(job) && <JobLogsPanel key={job.state} jobId={job.id} isGrowing={isLogGrowing(job)} isInitiallyOpen={job.state === 'failed'} />}
        </Box>
      </SectionCard>
    </Box>
  );
}
