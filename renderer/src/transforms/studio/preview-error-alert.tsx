import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { FStoreApiError } from '@shared/api/client.js';
import { useTranslation } from 'react-i18next';
import { describeApiError } from '../../api/describe-api-error.js';
import { ErrorAlert } from '../../common/error-alert.js';
import type { CodeMarker } from './error-markers.js';

interface PreviewErrorAlertProps {
  error: unknown;
  /** Where the error is in the code, when the service said. */
  markers: readonly CodeMarker[];
  onReveal: (position: { lineNumber: number; column: number }) => void;
}

/** Titles for the transform error codes, including those the service adds for SQL (keys of previewError). */
const TITLES = {
  FSTORE_TRANSFORM_SQL: 'sql',
  FSTORE_TRANSFORM_COMPILE: 'compile',
  FSTORE_TRANSFORM_RUNTIME: 'runtime',
} as const;

/** A preview failure: the service's message, where it is in the code, and a link there. */
export function PreviewErrorAlert({ error, markers, onReveal }: PreviewErrorAlertProps) {
  const { t } = useTranslation('transforms');
  const [first] = markers;
  if (!(error instanceof FStoreApiError) || !first) {
    return (
      <Box data-testid="preview-error">
        <ErrorAlert error={error} />
      </Box>
    );
  }
  const titleKey = (TITLES as Record<string, (typeof TITLES)[keyof typeof TITLES]>)[error.code];
  const title = titleKey ? t(`previewError.${titleKey}`) : describeApiError(error).title;
  const others = markers.slice(1).filter((m) => m.message !== first.message);
  return (
    <Alert
      severity="error"
      data-testid="preview-error"
      data-line={first.startLineNumber}
      data-column={first.startColumn}
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => onReveal({ lineNumber: first.startLineNumber, column: first.startColumn })}
          data-testid="reveal-error"
          sx={{ whiteSpace: 'nowrap' }}
        >
          {t('previewError.goToLine', { line: first.startLineNumber })}
        </Button>
      }
    >
      <AlertTitle>{title}</AlertTitle>
      <Box data-testid="preview-error-message" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {error.message}
      </Box>
      {first.message !== error.message && <Box sx={{ mt: 0.5, whiteSpace: 'pre-wrap' }}>{first.message}</Box>}
      <Box component="span" sx={{ display: 'block', mt: 0.5, opacity: 0.7, fontFamily: 'monospace', fontSize: 12 }}>
        {t('previewError.where', { code: error.code, line: first.startLineNumber, column: first.startColumn })}
      </Box>
      {others.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
          {others.map((m) => (
            <li key={`${m.startLineNumber}:${m.startColumn}:${m.message}`}>
              {t('previewError.other', { line: m.startLineNumber, column: m.startColumn, message: m.message })}
            </li>
          ))}
        </Box>
      )}
    </Alert>
  );
}
