import { useCallback } from 'react';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { describeApiError } from '../api/describe-api-error.js';
import { useClient } from '../api/use-client.js';
import { useAsync } from '../common/use-async.js';

/** A small indicator of which service the app talks to and whether it answers. */
export function ServiceStatus() {
  const { client, baseUrl } = useClient();
  const health = useAsync(useCallback(() => client.health(), [client]));
  const isUp = health.data?.status !== undefined && health.error === undefined;
  const color = health.isLoading ? 'warning.main' : isUp ? 'success.main' : 'error.main';
  const text = health.isLoading
    ? 'Checking service…'
    : isUp
      ? `Service ${health.data?.version ? `v${health.data.version}` : 'online'}`
      : 'Service unreachable';
  const host = baseUrl.replace(/^https?:\/\//, '');
  return (
    <Tooltip title={health.error ? describeApiError(health.error).message : baseUrl} placement="top">
      <Box data-testid="service-status" sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, py: 1.5 }}>
        <Box sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: color, flexShrink: 0 }} />
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="caption" component="div" sx={{ fontWeight: 600 }}>
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
