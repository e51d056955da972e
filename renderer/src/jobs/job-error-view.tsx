import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { Job } from '@shared/api/jobs.js';
import { ERROR_CATALOGUE } from '@shared/errors.js';
import { useTranslation } from 'react-i18next';
import { RejectedRowsTable } from '../ingest/rejected-rows-table.js';
import { columnProblemsOf, rejectedRowsOf } from './job-view.js';

/** Why a job failed or was cancelled, with the rejected rows of an ingestion. */
export function JobErrorView({ job }: { job: Job }) {
  const { t } = useTranslation('jobs');
  const { error, state } = job;
  if (!error) return null;
  const title =
    state === 'cancelled'
      ? t('error.cancelled')
      : error.code in ERROR_CATALOGUE
        ? ERROR_CATALOGUE[error.code as keyof typeof ERROR_CATALOGUE].title
        : t('error.failed');
  const rejected = rejectedRowsOf(error);
  const columnProblems = columnProblemsOf(error);
  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="job-error">
      <Alert severity={state === 'cancelled' ? 'warning' : 'error'}>
        <AlertTitle>{title}</AlertTitle>
        <Box data-testid="job-error-message">{error.message}</Box>
        <Box component="span" sx={{ display: 'block', mt: 0.5, opacity: 0.7, fontFamily: 'monospace', fontSize: 12 }}>
          {error.code}
        </Box>
        {columnProblems.length > 0 && (
          <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
            {columnProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </Box>
        )}
      </Alert>
      {rejected && <RejectedRowsTable errors={rejected.errors} invalidRows={rejected.invalidRows} hasSummary={false} />}
    </Box>
  );
}
