import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { ErrorAlert } from '../common/error-alert.js';
import { isSparkUnavailable } from './training-job-view.js';

/** Why the training set could not be built: the service's error, and what to do when Spark is not set up. */
export function TrainingSetFailure({ error }: { error: unknown }) {
  const { t } = useTranslation('training');
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }} data-testid="training-error">
      <ErrorAlert error={error} />
      {isSparkUnavailable(error) && (
        <Alert severity="info" data-testid="spark-unavailable">
          {t('failure.spark')}
        </Alert>
      )}
    </Box>
  );
}
