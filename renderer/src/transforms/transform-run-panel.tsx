import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { isTerminal } from '@shared/api/jobs.js';
import { useTranslation } from 'react-i18next';
import { CodeBlock } from '../common/code-block.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { IngestReportView } from '../jobs/ingest-report-view.js';
import { JobCancelButton } from '../jobs/job-cancel-button.js';
import { JobErrorView } from '../jobs/job-error-view.js';
import { JobProgressView } from '../jobs/job-progress-view.js';
import { JobStateChip } from '../jobs/job-state-chip.js';
import { ingestReportOf } from '../jobs/job-view.js';
import { useJobEvents } from '../jobs/use-job-events.js';

/** A transform run, live: its progress (server-sent events), Cancel, then its result or error. */
export function TransformRunPanel({ jobId }: { jobId: string }) {
  const { t } = useTranslation('transforms');
  const { job, error } = useJobEvents(jobId);
  const report = job ? ingestReportOf(job) : undefined;
  return (
    <Box data-testid="transform-run" data-job-id={jobId} data-state={job?.state} sx={{ display: 'grid', gap: 1.5, p: 2, border: 1, borderColor: 'divider', borderRadius: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="subtitle2" sx={{ fontWeight: 650, flex: 1, minWidth: 160 }}>
          {job?.title ?? t('run.run')}
        </Typography>
        {job && <JobStateChip state={job.state} />}
        {job && !isTerminal(job.state) && <JobCancelButton jobId={jobId} />}
        <Button size="small" component={RouterLink} to={`/jobs/${encodeURIComponent(jobId)}`} data-testid="open-run-job">
          {t('run.open')}
        </Button>
      </Box>
      {error !== undefined && <ErrorAlert error={error} />}
      {!job ? (
        error === undefined && <LoadingState label={t('run.starting')} />
      ) : (
        <>
          <JobProgressView job={job} />
          {report ? <IngestReportView report={report} verb="Wrote" /> : job.result && <CodeBlock label={t('run.result')} code={JSON.stringify(job.result, null, 2)} />}
          <JobErrorView job={job} />
        </>
      )}
    </Box>
  );
}
