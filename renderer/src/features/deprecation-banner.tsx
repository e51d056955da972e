import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import { Trans, useTranslation } from 'react-i18next';
import type { Feature } from '@shared/domain/schemas.js';
import { MONO_SX } from '../common/mono-text.js';

/** What a deprecated feature's readers need: why, what to use instead, and that it is still served. */
export function DeprecationBanner({ feature }: { feature: Pick<Feature, 'deprecation'> }) {
  const { t } = useTranslation('features');
  const replacement = feature.deprecation?.replaced_by ?? undefined;
  return (
    <Alert severity="warning" sx={{ mb: 2 }} data-testid="deprecated-banner">
      <AlertTitle>{t('deprecation.title')}</AlertTitle>
      <Box data-testid="deprecation-reason">{feature.deprecation?.reason ?? t('deprecation.noReason')}</Box>
      {replacement && (
        <Box sx={{ mt: 0.5 }}>
          <Trans
            t={t}
            i18nKey="deprecation.use"
            values={{ name: replacement }}
            components={{
              pageLink: (
                <Link component={RouterLink} to={`/features/${encodeURIComponent(replacement)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }} data-testid="replacement-link" />
              ),
            }}
          />
        </Box>
      )}
      <Box sx={{ mt: 0.5, opacity: 0.85 }}>
        {t('deprecation.stillServed')}
      </Box>
    </Alert>
  );
}
