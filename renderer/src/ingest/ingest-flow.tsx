import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useTranslation } from 'react-i18next';
import type { DataFileFormat } from './data-file-format.js';
import { FileCard } from './file-card.js';
import { FilePickerButton } from './file-picker-button.js';
import { IngestJobPanel } from './ingest-job-panel.js';
import { IngestReview } from './ingest-review.js';
import type { IngestSession } from './ingest-session-context.js';
import { useIngestSession } from './use-ingest-session.js';
import { useSessionUpload } from './use-session-upload.js';

/** One file from upload to report: upload with progress, review (dry run), then the job. */
export function IngestFlow({ session, format }: { session: IngestSession; format: DataFileFormat }) {
  const { t } = useTranslation('ingest');
  const { start } = useIngestSession();
  const upload = useSessionUpload(session, format);
  const receipt = session.upload;

  return (
    <Box sx={{ display: 'grid', gap: 3 }} data-testid="ingest-flow">
      <FileCard file={session.file} format={format} upload={upload} isUploaded={receipt !== undefined} />
      {session.jobId ? (
        <IngestJobPanel
          jobId={session.jobId}
          afterwards={(job) => (
            <>
              {job.state === 'succeeded' ? (
                <Button component={RouterLink} to={`/features?entity=${encodeURIComponent(session.target.entity.trim())}`} data-testid="view-features">
                  {t('flow.viewFeatures')}
                </Button>
              ) : (
                <Button onClick={() => start(session.file)} data-testid="retry-file">
                  {t('flow.tryAgain', { name: session.file.name })}
                </Button>
              )}
              <FilePickerButton label={t('flow.another')} onFile={start} testId="another-file" />
            </>
          )}
        />
      ) : (
        receipt && <IngestReview session={session} receipt={receipt} />
      )}
    </Box>
  );
}
