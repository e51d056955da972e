import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import type { LintHint } from '@shared/domain/naming-lint.js';

/** The feature's naming and documentation hints, as `fstore plan` reports them; advice, not errors. */
export function FeatureNamingHints({ hints }: { hints: readonly LintHint[] }) {
  const { t } = useTranslation('features');
  if (hints.length === 0) return null;
  return (
    <Alert severity="info" variant="outlined" sx={{ mt: 3 }} data-testid="feature-naming-hints">
      <AlertTitle>{t('namingHints')}</AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {hints.map((h) => (
          <li key={h.rule} data-testid="naming-hint" data-rule={h.rule}>
            {h.message}
          </li>
        ))}
      </Box>
    </Alert>
  );
}
