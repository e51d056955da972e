import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../common/page-header.js';
import { detectDataFormat, explainUnsupportedFile } from './data-file-format.js';
import { FilePickerButton } from './file-picker-button.js';
import { IngestFlow } from './ingest-flow.js';
import { IngestLanding } from './ingest-landing.js';
import { useIngestSession } from './use-ingest-session.js';

export function IngestPage() {
  const { t } = useTranslation('ingest');
  const { session, start } = useIngestSession();
  const format = session ? detectDataFormat(session.file) : undefined;
  return (
    <>
      <PageHeader
        title={t('page.title')}
        subtitle={t('page.subtitle')}
        actions={session && <FilePickerButton label={t('page.chooseAnother')} variant="outlined" onFile={start} testId="replace-file" />}
      />
      {!session ? (
        <IngestLanding onFile={start} />
      ) : !format ? (
        <Box sx={{ display: 'grid', gap: 3 }}>
          <Alert severity="error" data-testid="unsupported-file">
            <AlertTitle>{t('page.unsupportedTitle')}</AlertTitle>
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
