import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import { Trans, useTranslation } from 'react-i18next';
import { FilePickerButton } from './file-picker-button.js';

/** Before any file: where to drop it, the picker, and the conventions the columns follow. */
export function IngestLanding({ onFile }: { onFile: (file: File) => void }) {
  const { t } = useTranslation('ingest');
  return (
    <Paper
      variant="outlined"
      data-testid="ingest-landing"
      sx={{ p: { xs: 3, md: 6 }, borderStyle: 'dashed', borderWidth: 2, textAlign: 'center', display: 'grid', gap: 2, justifyItems: 'center' }}
    >
      <CloudUploadOutlined color="primary" sx={{ fontSize: 56 }} />
      <Typography variant="h6" component="h2" sx={{ fontWeight: 650 }}>
        {t('landing.title')}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 640 }}>
        <Trans t={t} i18nKey="landing.conventions" components={[<code>{'<entity>_id'}</code>, <code />, <code />, <code />, <code />]} />
      </Typography>
      <FilePickerButton label={t('landing.chooseFile')} onFile={onFile} />
      <Box>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          <Trans t={t} i18nKey="landing.jobsNote" components={[<Link component={RouterLink} to="/jobs" />]} />
        </Typography>
      </Box>
    </Paper>
  );
}
