import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { describeApiError } from '../api/describe-api-error.js';
import { useClient } from '../api/use-client.js';
import { useServiceHealth } from './use-service-health.js';

/** A small indicator of which service the app talks to and whether it answers (polled). */
export function ServiceStatus() {
  const { t } = useTranslation();
  const { baseUrl } = useClient();
  const { health } = useServiceHealth();
  const color = health.state === 'checking' ? 'warning.main' : health.state === 'up' ? 'success.main' : 'error.main';
  const text =
    health.state === 'checking'
      ? t('serviceStatus.checking')
      : health.state === 'up'
        ? health.version
          ? t('serviceStatus.version', { version: health.version })
          : t('serviceStatus.online')
        : t('serviceStatus.unreachable');
  const host = baseUrl.replace(/^https?:\/\//, '');
  return (
    <Tooltip title={health.state === 'down' ? describeApiError(health.error).message : baseUrl} placement="top">
      <Box data-testid="service-status" data-state={health.state} sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, py: 1.5 }}>
        <Box sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: color, flexShrink: 0 }} />
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="caption" component="div" role="status" sx={{ fontWeight: 600 }}>
            {text}
          </Typography>
          <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary' }}>
            {host}
          </Typography>
        </Box>
      </Box>
    </Tooltip>
  );
}
