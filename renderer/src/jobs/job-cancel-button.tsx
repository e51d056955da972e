import { useState } from 'react';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';
import { describeApiError } from '../api/describe-api-error.js';
import { useClient } from '../api/use-client.js';

/** Asks the service to cancel a queued or running job; the live events then report how it ended. */
export function JobCancelButton({ jobId }: { jobId: string }) {
  const { t } = useTranslation('jobs');
  const { client } = useClient();
  const [isCancelling, setIsCancelling] = useState(false);
  const [error, setError] = useState<unknown>();
  const cancel = () => {
    setIsCancelling(true);
    setError(undefined);
    client.jobs.cancel(jobId).then(
      () => undefined,
      (err: unknown) => {
        setError(err);
        setIsCancelling(false);
      },
    );
  };
  return (
    <Tooltip title={error === undefined ? t('cancel.hint') : describeApiError(error).message}>
      <span>
        <Button color={error === undefined ? 'warning' : 'error'} variant="outlined" onClick={cancel} disabled={isCancelling} data-testid="cancel-job">
          {isCancelling ? t('cancel.cancelling') : t('cancel.cancel')}
        </Button>
      </span>
    </Tooltip>
  );
}
