import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { isTerminal, type Job } from '@shared/api/jobs.js';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { IngestReportView } from '../jobs/ingest-report-view.js';
import { JobCancelButton } from '../jobs/job-cancel-button.js';
import { JobErrorView } from '../jobs/job-error-view.js';
import { JobProgressView } from '../jobs/job-progress-view.js';
import { JobStateChip } from '../jobs/job-state-chip.js';
import { ingestReportOf } from '../jobs/job-view.js';
import { useJobEvents } from '../jobs/use-job-events.js';

interface IngestJobPanelProps {
  jobId: string;
  /** Buttons offered once the job has ended (another file, try again). */
  afterwards: (job: Job) => ReactNode;
}

/** The running ingestion: live progress with Cancel, then the report or the error with the rejected rows. */
export function IngestJobPanel({ jobId, afterwards }: IngestJobPanelProps) {
  const { t } = useTranslation('ingest');
  const { job, error } = useJobEvents(jobId);
  const report = job ? ingestReportOf(job) : undefined;
  const isActive = job !== undefined && !isTerminal(job.state);
  return (
    <SectionCard
      testId="ingest-job"
      title={
        <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1.5 }}>
          {t('job.title')} {job && <JobStateChip state={job.state} />}
        </Box>
      }
      subtitle={job?.title}
      actions={
        <>
          {isActive && <JobCancelButton jobId={jobId} />}
          <Button component={RouterLink} to={`/jobs/${encodeURIComponent(jobId)}`} data-testid="open-job">
            {t('job.open')}
          </Button>
        </>
      }
    >
      <Box sx={{ display: 'grid', gap: 2.5 }}>
        {error !== undefined && <ErrorAlert error={error} />}
        {!job ? (
          error === undefined && <LoadingState label={t('job.starting')} />
        ) : (
          <>
            <JobProgressView job={job} />
            {report && <IngestReportView report={report} />}
            <JobErrorView job={job} />
          </>
        )}
        {job && isTerminal(job.state) && <Box sx={{ display: 'flex', gap: 1.5, justifyContent: 'flex-end', flexWrap: 'wrap' }}>{afterwards(job)}</Box>}
      </Box>
    </SectionCard>
  );
}
