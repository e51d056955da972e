import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import InsertDriveFileOutlined from '@mui/icons-material/InsertDriveFileOutlined';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../common/error-alert.js';
import { formatBytes } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';
import { FORMAT_LABELS, type DataFileFormat } from './data-file-format.js';
import type { UploadState } from './use-session-upload.js';

interface FileCardProps {
  file: File;
  format: DataFileFormat;
  upload: UploadState;
  isUploaded: boolean;
  actions?: ReactNode;
}

/** The file being ingested: name, size, format, and the upload's progress. */
export function FileCard({ file, format, upload, isUploaded, actions }: FileCardProps) {
  const { t } = useTranslation('ingest');
  const percent = upload.totalBytes > 0 ? Math.round((upload.sentBytes / upload.totalBytes) * 100) : 0;
  return (
    <Paper variant="outlined" data-testid="file-card" sx={{ p: { xs: 2, md: 2.5 }, display: 'grid', gap: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <InsertDriveFileOutlined color="primary" />
        <Box sx={{ flex: 1, minWidth: 200 }}>
          <Typography sx={{ ...MONO_SX, fontSize: 14, fontWeight: 650, wordBreak: 'break-all' }} data-testid="file-name">
            {file.name}
          </Typography>
          <Typography variant="body2" component="div" sx={{ color: 'text.secondary', display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
            <span>{formatBytes(file.size)}</span>
            <Chip size="small" label={FORMAT_LABELS[format]} variant="outlined" />
            {isUploaded && (
              <Box component="span" data-testid="upload-done" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, color: 'success.main' }}>
                <CheckCircleOutlined sx={{ fontSize: 16 }} />
                {t('file.uploaded')}
              </Box>
            )}
          </Typography>
        </Box>
        {actions}
      </Box>
      {!isUploaded && upload.error === undefined && (
        <Box data-testid="upload-progress" data-percent={percent}>
          <LinearProgress variant="determinate" value={percent} aria-label={t('file.progressLabel')} sx={{ height: 8, borderRadius: 4 }} />
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {t('file.uploading', { percent, sent: formatBytes(upload.sentBytes), total: formatBytes(upload.totalBytes) })}
          </Typography>
        </Box>
      )}
      {upload.error !== undefined && <ErrorAlert error={upload.error} onRetry={upload.retry} />}
    </Paper>
  );
}
