import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import type { Feature } from '@shared/domain/schemas.js';
import { MONO_SX } from '../common/mono-text.js';

/** What a deprecated feature's readers need: why, what to use instead, and that it is still served. */
export function DeprecationBanner({ feature }: { feature: Pick<Feature, 'deprecation'> }) {
  const replacement = feature.deprecation?.replaced_by ?? undefined;
  return (
    <Alert severity="warning" sx={{ mb: 2 }} data-testid="deprecated-banner">
      <AlertTitle>Deprecated</AlertTitle>
      <Box data-testid="deprecation-reason">{feature.deprecation?.reason ?? 'No reason recorded.'}</Box>
      {replacement && (
        <Box sx={{ mt: 0.5 }}>
          Use{' '}
          <Link component={RouterLink} to={`/features/${encodeURIComponent(replacement)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }} data-testid="replacement-link">
            {replacement}
          </Link>{' '}
          instead.
        </Box>
      )}
      <Box sx={{ mt: 0.5, opacity: 0.85 }}>
        It is still ingested and served; clients that request it get a warning. Restore makes it active again.
      </Box>
    </Alert>
  );
}
