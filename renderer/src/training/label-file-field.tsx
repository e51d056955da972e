import { Trans, useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import { FileCard } from '../ingest/file-card.js';
import { FilePickerButton } from '../ingest/file-picker-button.js';
import { DEFAULT_KEY_COLUMN, DEFAULT_TIME_COLUMN } from './training-set-options.js';
import type { LabelFile } from './use-label-file.js';

interface LabelFileFieldProps {
  labels: LabelFile;
  /** A file is being dragged over the page (which takes the drop). */
  isDragging: boolean;
  /** A blocking problem to show once the user tried to build. */
  error: string | undefined;
}

/** The label rows: a file dropped on the page or picked, uploaded at once with its progress. */
export function LabelFileField({ labels, isDragging, error }: LabelFileFieldProps) {
  const { t } = useTranslation('training');
  const { file, format, upload, problem } = labels;
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      <Box
        data-testid="label-drop-zone"
        data-dragging={isDragging}
        sx={(theme) => ({
          p: 2.5,
          border: 2,
          borderStyle: 'dashed',
          borderRadius: 2,
          borderColor: isDragging ? 'primary.main' : error && !file ? 'error.main' : 'divider',
          bgcolor: isDragging ? alpha(theme.palette.primary.main, 0.06) : 'transparent',
          display: 'flex',
          gap: 2,
          alignItems: 'center',
          flexWrap: 'wrap',
        })}
      >
        <CloudUploadOutlined color="primary" sx={{ fontSize: 36 }} />
        <Box sx={{ flex: 1, minWidth: 240 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {t('file.drop')}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            <Trans t={t} i18nKey="file.body" values={{ key: DEFAULT_KEY_COLUMN, time: DEFAULT_TIME_COLUMN }} components={[<code key="0" />, <code key="1" />]} />
          </Typography>
        </Box>
        <FilePickerButton label={file ? t('file.chooseAnother') : t('file.choose')} onFile={labels.choose} variant="outlined" testId="label-file" />
      </Box>
      {problem && (
        <Alert severity="error" data-testid="label-file-problem">
          {problem}
        </Alert>
      )}
      {file && format && <FileCard file={file} format={format} upload={upload} isUploaded={upload.receipt !== undefined} />}
      {error && (
        <Alert severity="warning" data-testid="labels-error">
          {error}
        </Alert>
      )}
    </Box>
  );
}
