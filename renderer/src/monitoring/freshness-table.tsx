import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { formatDuration } from '../common/format-duration.js';
import { formatCount } from '../common/format-number.js';
import { formatTime, formatTtl } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import type { FreshnessRow } from './chart-data.js';
import { formatShare } from './format-metric.js';

const NUM_SX = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** Per feature group: how old its newest value is against its TTL, and the share of keys it covers. */
export function FreshnessTable({ rows }: { rows: readonly FreshnessRow[] }) {
  const { t } = useTranslation('monitoring');
  return (
    <TableContainer>
      <Table size="small" aria-label={t('freshness.label')} data-testid="freshness-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('freshness.group')}</TableCell>
            <TableCell>{t('freshness.newest')}</TableCell>
            <TableCell align="right">{t('freshness.age')}</TableCell>
            <TableCell align="right">{t('freshness.ttl')}</TableCell>
            <TableCell sx={{ width: 160 }}>{t('freshness.ageOfTtl')}</TableCell>
            <TableCell>{t('freshness.status')}</TableCell>
            <TableCell align="right">{t('freshness.coverage')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((g) => (
            <TableRow key={`${g.entity}/${g.feature_group}`} data-testid="freshness-row" data-group={g.feature_group} data-stale={String(g.stale)}>
              <TableCell>
                <Box sx={{ ...MONO_SX, fontWeight: 600 }}>{g.feature_group}</Box>
                <Box sx={{ typography: 'caption', color: 'text.secondary' }}>{g.entity}</Box>
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{g.newest_event_time ? formatTime(g.newest_event_time) : t('freshness.notSeen')}</TableCell>
              <TableCell align="right" sx={NUM_SX}>
                {g.age_seconds === null ? '—' : formatDuration(g.age_seconds * 1000)}
              </TableCell>
              <TableCell align="right" sx={NUM_SX}>
                {formatTtl(g.ttl_seconds)}
              </TableCell>
              <TableCell>
                {g.ttlUsed === undefined ? (
                  <Box sx={{ typography: 'caption', color: 'text.secondary' }}>{g.ttl_seconds === null ? t('freshness.noExpiry') : '—'}</Box>
                ) : (
                  <LinearProgress
                    variant="determinate"
                    value={g.ttlUsed * 100}
                    color={g.stale ? 'error' : g.ttlUsed > 0.8 ? 'warning' : 'success'}
                    aria-label={t('freshness.ttlUsed', { percent: formatCount(Math.round(g.ttlUsed * 100)) })}
                    sx={{ height: 6, borderRadius: 3 }}
                  />
                )}
              </TableCell>
              <TableCell>
                {g.stale ? <Chip label={t('freshness.stale')} size="small" color="error" data-testid="stale-chip" /> : <Chip label={t('freshness.fresh')} size="small" color="success" variant="outlined" />}
              </TableCell>
              <TableCell align="right" sx={NUM_SX} title={t('freshness.coverageHelp')}>
                {formatShare(g.coverage)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
