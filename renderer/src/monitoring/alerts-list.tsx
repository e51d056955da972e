import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { Alert } from '@shared/api/monitoring.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { formatAlertNumber } from './format-metric.js';

interface AlertsListProps {
  /** Already in display order (sortAlerts). */
  alerts: readonly Alert[];
  /** Ids being acknowledged right now. */
  pending: ReadonlySet<string>;
  onAcknowledge: (alert: Alert) => void;
}

/** Alerts with what breached, by how much, since when, and who has acknowledged them. */
export function AlertsList({ alerts, pending, onAcknowledge }: AlertsListProps) {
  const { t } = useTranslation('monitoring');
  return (
    <TableContainer>
      <Table size="small" aria-label={t('alerts.list.label')} data-testid="alerts-list">
        <TableHead>
          <TableRow>
            <TableCell>{t('alerts.list.state')}</TableCell>
            <TableCell>{t('alerts.list.target')}</TableCell>
            <TableCell>{t('alerts.list.rule')}</TableCell>
            <TableCell align="right">{t('alerts.list.value')}</TableCell>
            <TableCell>{t('alerts.list.fired')}</TableCell>
            <TableCell>{t('alerts.list.acknowledged')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {alerts.map((a) => {
            const isFiring = a.state === 'firing';
            return (
              <TableRow
                key={a.id}
                data-testid="alert-row"
                data-alert-id={a.id}
                data-rule={a.rule}
                data-target={a.target}
                data-state={a.state}
                data-acknowledged={String(a.acknowledged_at !== null)}
                sx={isFiring ? undefined : { '& td': { color: 'text.secondary' } }}
              >
                <TableCell>
                  {isFiring ? <Chip label={t('alerts.list.firing')} size="small" color="error" /> : <Chip label={t('alerts.list.resolved')} size="small" variant="outlined" />}
                </TableCell>
                <TableCell sx={{ minWidth: 260, maxWidth: 480 }}>
                  <Box sx={{ ...MONO_SX, fontWeight: 600, wordBreak: 'break-word' }}>{a.target}</Box>
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                    {a.message}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Box sx={MONO_SX}>{a.rule}</Box>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {a.type}
                  </Typography>
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  <Box component="span" sx={{ fontWeight: 600, color: isFiring ? 'error.main' : undefined }} data-testid="alert-value">
                    {formatAlertNumber(a.type, a.value)}
                  </Box>
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                    {t('alerts.list.threshold', { value: formatAlertNumber(a.type, a.threshold) })}
                  </Typography>
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {formatTime(a.fired_at)}
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                    {a.resolved_at ? t('alerts.list.resolvedAt', { time: formatTime(a.resolved_at) }) : t('alerts.list.lastSeen', { time: formatTime(a.last_seen_at) })}
                  </Typography>
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {a.acknowledged_at ? (
                    <Box data-testid="acknowledged-by">
                      {a.acknowledged_by ?? t('alerts.list.someone')}
                      <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                        {formatTime(a.acknowledged_at)}
                      </Typography>
                    </Box>
                  ) : isFiring ? (
                    <Button size="small" variant="outlined" onClick={() => onAcknowledge(a)} disabled={pending.has(a.id)} data-testid="ack-button">
                      {pending.has(a.id) ? t('alerts.list.acknowledging') : t('alerts.list.acknowledge')}
                    </Button>
                  ) : (
                    '—'
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
