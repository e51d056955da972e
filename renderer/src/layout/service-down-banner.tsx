import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import { useTranslation } from 'react-i18next';
import { FStoreApiError } from '@shared/api/client.js';
import { i18n } from '../i18n/i18n.js';
import { describeApiError } from '../api/describe-api-error.js';
import { useClient } from '../api/use-client.js';
import { useNow } from '../common/use-now.js';
import { useServiceHealth } from './use-service-health.js';

/** Shown above every page while the service does not answer; gone as soon as it does again. */
export function ServiceDownBanner() {
  const { t } = useTranslation();
  const { health, isChecking, retry } = useServiceHealth();
  const { baseUrl } = useClient();
  const isDown = health.state === 'down';
  const now = useNow(isDown);
  if (!isDown) return null;

  const host = baseUrl.replace(/^https?:\/\//, '');
  const seconds = Math.max(0, Math.ceil((health.nextCheckAt - now) / 1000));
  return (
    <Alert
      severity="error"
      role="alert"
      data-testid="service-down-banner"
      sx={{ mb: 3, position: 'sticky', top: (t) => t.spacing(9), zIndex: (t) => t.zIndex.appBar - 1 }}
      action={
        <Button color="inherit" size="small" variant="outlined" onClick={retry} disabled={isChecking} data-testid="service-retry" sx={{ whiteSpace: 'nowrap' }}>
          {isChecking ? t('serviceDown.checking') : t('serviceDown.retryNow')}
        </Button>
      }
    >
      <AlertTitle>{t('serviceDown.title')}</AlertTitle>
      {reasonOf(health.error, host)}. {t('serviceDown.cannotSave')}{' '}
      {/* The countdown ticks every second: not re-announced each time by screen readers. */}
      <span aria-live="off">{isChecking ? t('serviceDown.checking') : t('serviceDown.checkingIn', { seconds })}</span>
    </Alert>
  );
}

function reasonOf(error: unknown, host: string): string {
  if (error instanceof FStoreApiError && error.code === 'FSTORE_NETWORK') return i18n.t('serviceDown.nothingAnswers', { host });
  return `${host}: ${describeApiError(error).message.replace(/\.$/, '')}`;
}
