import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import { describeApiError } from '../api/describe-api-error.js';

interface ErrorAlertProps {
  error: unknown;
  onRetry?: () => void;
}

/** Shows the service's own error message (and its details) rather than a generic failure. */
export function ErrorAlert({ error, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  const described = describeApiError(error);
  return (
    <Alert
      severity="error"
      data-testid="error-alert"
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t('retry')}
          </Button>
        )
      }
    >
      <AlertTitle>{described.title}</AlertTitle>
      {described.message}
      {described.code && (
        <Box component="span" sx={{ display: 'block', mt: 0.5, opacity: 0.7, fontFamily: 'monospace', fontSize: 12 }}>
          {described.code}
        </Box>
      )}
      {described.problems.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
          {described.problems.map((p, i) => (
            <li key={i}>
              {p.path ? <code>{p.path}</code> : null}
              {p.path ? ': ' : null}
              {p.message}
            </li>
          ))}
        </Box>
      )}
    </Alert>
  );
}
