import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import DownloadOutlined from '@mui/icons-material/DownloadOutlined';
import type { TrainingSetJobResult } from '@shared/api/serving.js';
import { useClient } from '../api/use-client.js';
import { useClearWhenServiceBack } from '../layout/use-clear-when-service-back.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatBytes, formatCount } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';
import { downloadTrainingSet } from './download-training-set.js';
import { TrainingSetPreview } from './training-set-preview.js';
import { TRAINING_ENGINE_OPTIONS, TRAINING_FORMAT_OPTIONS } from './training-set-options.js';

function Fact({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <Box>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="h6" component="div" sx={{ fontWeight: 650 }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/** The finished training set: rows, columns, size, each feature's coverage and the first rows, warnings, and a Download button. */
export function TrainingSetResultCard({ jobId, result }: { jobId: string; result: TrainingSetJobResult }) {
  const { client } = useClient();
  const { t } = useTranslation('training');
  const [isDownloading, setIsDownloading] = useState(false);
  const [error, setError] = useState<unknown>();
  useClearWhenServiceBack(error, () => setError(undefined));
  const warnings = Array.isArray(result.warnings) ? result.warnings : [];
  const formatLabel = TRAINING_FORMAT_OPTIONS.find((o) => o.value === result.format)?.label ?? result.format;
  const engineLabel = TRAINING_ENGINE_OPTIONS.find((o) => o.value === result.engine)?.label ?? result.engine;

  const download = () => {
    setIsDownloading(true);
    setError(undefined);
    downloadTrainingSet(client, jobId, result).then(
      () => setIsDownloading(false),
      (err: unknown) => {
        setError(err);
        setIsDownloading(false);
      },
    );
  };

  return (
    <Paper variant="outlined" data-testid="training-result" sx={{ p: { xs: 2, md: 2.5 }, display: 'grid', gap: 2 }}>
      <Box sx={{ display: 'flex', gap: { xs: 2, md: 4 }, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <Fact label={t('result.rows')} value={formatCount(result.row_count)} testId="result-rows" />
        <Fact label={t('result.columns')} value={formatCount(result.columns.length)} testId="result-column-count" />
        <Fact label={t('result.size')} value={formatBytes(result.size_bytes)} testId="result-size" />
        <Fact label={t('result.file')} value={`${formatLabel} · ${engineLabel}`} testId="result-format" />
        <Box sx={{ flex: 1 }} />
        <Button variant="contained" startIcon={<DownloadOutlined />} onClick={download} disabled={isDownloading} data-testid="download-training-set">
          {isDownloading ? t('result.downloading') : t('result.download', { format: formatLabel })}
        </Button>
      </Box>
      {/* Next to the button that failed. */}
      {error !== undefined && <ErrorAlert error={error} onRetry={download} />}
      <Box sx={{ display: 'flex', gap: 0.75, flexWrap: 'wrap' }} data-testid="result-columns" aria-label={t('result.columns')}>
        {result.columns.map((column) => (
          <Chip key={column} label={column} size="small" variant="outlined" sx={MONO_SX} data-testid="result-column" />
        ))}
      </Box>
      {warnings.map((warning) => (
        <Alert key={warning} severity="warning" data-testid="result-warning">
          {warning}
        </Alert>
      ))}
      <TrainingSetPreview jobId={jobId} />
    </Paper>
  );
}
