import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { BatchQuality } from '@shared/api/monitoring.js';
import { formatCount } from '../common/format-number.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { formatShare, formatStat } from './format-metric.js';

const NUM_SX = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** Ingestion batches of a group, newest first: per feature of each batch, its statistics; per batch, the rows that broke `warn` rules. */
export function BatchQualityTable({ batches }: { batches: readonly BatchQuality[] }) {
  const { t } = useTranslation('monitoring');
  return (
    <TableContainer>
      <Table size="small" aria-label={t('quality.batches.label')} data-testid="batch-quality-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('quality.batches.ingested')}</TableCell>
            <TableCell align="right">{t('quality.batches.rows')}</TableCell>
            <TableCell>{t('quality.batches.feature')}</TableCell>
            <TableCell align="right">{t('quality.batches.values')}</TableCell>
            <TableCell align="right">{t('quality.batches.nullRate')}</TableCell>
            <TableCell align="right">{t('quality.batches.mean')}</TableCell>
            <TableCell align="right">{t('quality.batches.minMax')}</TableCell>
            <TableCell>{t('quality.batches.violations')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {batches.map((batch) => {
            const span = Math.max(1, batch.features.length);
            const batchCells = (
              <>
                <TableCell rowSpan={span} sx={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
                  {formatTime(batch.ingested_at)}
                  <Typography variant="caption" component="div" sx={{ ...MONO_SX, fontSize: 11, color: 'text.secondary' }} title={batch.batch_id}>
                    {batch.batch_id.slice(0, 8)}
                  </Typography>
                </TableCell>
                <TableCell rowSpan={span} align="right" sx={{ ...NUM_SX, verticalAlign: 'top' }}>
                  {formatCount(batch.rows)}
                </TableCell>
              </>
            );
            const violations = (
              <TableCell rowSpan={span} sx={{ verticalAlign: 'top' }} data-testid="batch-violations">
                {batch.rule_violations.length === 0 ? (
                  <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>
                    {t('quality.batches.noViolations')}
                  </Typography>
                ) : (
                  <Stack useFlexGap sx={{ gap: 0.5, alignItems: 'flex-start' }}>
                    {batch.rule_violations.map((v) => (
                      <Chip
                        key={`${v.feature}/${v.rule}`}
                        size="small"
                        color={v.action === 'reject' ? 'error' : 'warning'}
                        variant="outlined"
                        label={t('quality.batches.violation', { feature: v.feature, rule: v.rule, count: v.rows, n: formatCount(v.rows), action: v.action })}
                      />
                    ))}
                  </Stack>
                )}
              </TableCell>
            );
            if (batch.features.length === 0) {
              return (
                <TableRow key={batch.batch_id} data-testid="batch-row" data-batch-id={batch.batch_id}>
                  {batchCells}
                  <TableCell colSpan={5} sx={{ color: 'text.secondary' }}>
                    {t('quality.batches.noColumns')}
                  </TableCell>
                  {violations}
                </TableRow>
              );
            }
            return (
              <Fragment key={batch.batch_id}>
                {batch.features.map((f, i) => (
                  <TableRow key={f.feature} data-testid={i === 0 ? 'batch-row' : undefined} data-batch-id={batch.batch_id}>
                    {i === 0 && batchCells}
                    <TableCell>
                      <Box sx={MONO_SX}>{f.feature}</Box>
                    </TableCell>
                    <TableCell align="right" sx={NUM_SX}>
                      {formatCount(f.count)}
                    </TableCell>
                    <TableCell align="right" sx={NUM_SX}>
                      {formatShare(f.null_rate)}
                    </TableCell>
                    <TableCell align="right" sx={NUM_SX}>
                      {formatStat(f.mean)}
                    </TableCell>
                    <TableCell align="right" sx={NUM_SX}>
                      {f.min === null ? '—' : `${formatStat(f.min)} – ${formatStat(f.max)}`}
                    </TableCell>
                    {i === 0 && violations}
                  </TableRow>
                ))}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
