import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { PageHeader } from '../common/page-header.js';
import { detectDataFormat, explainUnsupportedFile } from './data-file-format.js';
import { FilePickerButton } from './file-picker-button.js';
import { IngestFlow } from './ingest-flow.js';
import { IngestLanding } from './ingest-landing.js';
import { useIngestSession } from './use-ingest-session.js';

export function IngestPage() {
  const { session, start } = useIngestSession();
  const format = session ? detectDataFormat(session.file) : undefined;
  return (
    <>
      <PageHeader
        title="Ingest data"
        subtitle="Drop a file anywhere in the window, check what it becomes, then ingest it as a job."
        actions={session && <FilePickerButton label="Choose another file" variant="outlined" onFile={start} testId="replace-file" />}
      />
      {!session ? (
        <IngestLanding onFile={start} />
      ) : !format ? (
        <Box sx={{ display: 'grid', gap: 3 }}>
          <Alert severity="error" data-testid="unsupported-file">
            <AlertTitle>This file cannot be ingested</AlertTitle>
            {explainUnsupportedFile(session.file)}
          </Alert>
          <IngestLanding onFile={start} />
        </Box>
      ) : (
        <IngestFlow key={session.id} session={session} format={format} />
      )}
    </>
  );
}
