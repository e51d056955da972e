import { Link as RouterLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { AuditEvent } from '@shared/domain/schemas.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { auditKindLabel, auditObjectHref, auditVerb, detailLines, versionChange } from './audit-event-view.js';

interface AuditTableProps {
  events: readonly AuditEvent[];
  onFilterActor: (actor: string) => void;
}

/** Who did what, when, to which object; newest first as the service sends them. */
export function AuditTable({ events, onFilterActor }: AuditTableProps) {
  const { t } = useTranslation('audit');
  return (
    <TableContainer>
      <Table size="small" aria-label={t('table.label')} data-testid="audit-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('table.time')}</TableCell>
            <TableCell>{t('table.actor')}</TableCell>
            <TableCell>{t('table.action')}</TableCell>
            <TableCell>{t('table.object')}</TableCell>
            <TableCell>{t('table.version')}</TableCell>
            <TableCell>{t('table.details')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {events.map((event) => {
            const href = auditObjectHref(event);
            const details = detailLines(event.details);
            return (
              <TableRow
                key={event.id}
                data-testid="audit-row"
                data-action={event.action}
                data-actor={event.actor}
                data-kind={event.kind}
                data-name={event.name}
                sx={{ verticalAlign: 'top' }}
              >
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <Tooltip title={event.time}>
                    <span>{formatTime(event.time)}</span>
                  </Tooltip>
                </TableCell>
                <TableCell>
                  <Tooltip title={t('table.onlyActor', { actor: event.actor })}>
                    <Link component="button" type="button" underline="hover" onClick={() => onFilterActor(event.actor)} sx={{ fontWeight: 600 }} data-testid="audit-actor">
                      {event.actor}
                    </Link>
                  </Tooltip>
                </TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" label={auditVerb(event.action)} data-testid="audit-action" />
                  <Typography variant="caption" component="div" sx={{ ...MONO_SX, fontSize: 11, color: 'text.secondary', mt: 0.25 }}>
                    {event.action}
                  </Typography>
                </TableCell>
                <TableCell sx={{ minWidth: 200 }}>
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                    {auditKindLabel(event.kind)}
                  </Typography>
                  {href ? (
                    <Link component={RouterLink} to={href} underline="hover" sx={{ ...MONO_SX, fontWeight: 600, wordBreak: 'break-all' }} data-testid="audit-object-link">
                      {event.name}
                    </Link>
                  ) : (
                    <Box component="span" sx={{ ...MONO_SX, wordBreak: 'break-all' }}>
                      {event.name}
                    </Box>
                  )}
                </TableCell>
                <TableCell sx={{ ...MONO_SX, whiteSpace: 'nowrap' }} data-testid="audit-version">
                  {versionChange(event) || '—'}
                </TableCell>
                <TableCell sx={{ maxWidth: 360 }}>
                  {details.length === 0 ? (
                    <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>
                      —
                    </Typography>
                  ) : (
                    details.map((line) => (
                      <Typography key={line} variant="caption" component="div" sx={{ ...MONO_SX, fontSize: 12, color: 'text.secondary', wordBreak: 'break-word' }}>
                        {line}
                      </Typography>
                    ))
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
