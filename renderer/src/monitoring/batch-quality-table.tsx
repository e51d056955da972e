import { Fragment } from 'react';
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
  return (
    <TableContainer>
      <Table size="small" aria-label="Quality per ingestion batch" data-testid="batch-quality-table">
        <TableHead>
          <TableRow>
            <TableCell>Ingested</TableCell>
            <TableCell align="right">Rows</TableCell>
            <TableCell>Feature</TableCell>
            <TableCell align="right">Values</TableCell>
            <TableCell align="right">Null rate</TableCell>
            <TableCell align="right">Mean</TableCell>
            <TableCell align="right">Min – max</TableCell>
            <TableCell>Rule violations</TableCell>
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
                    None
                  </Typography>
                ) : (
                  <Stack useFlexGap sx={{ gap: 0.5, alignItems: 'flex-start' }}>
                    {batch.rule_violations.map((v) => (
                      <Chip
                        key={`${v.feature}/${v.rule}`}
                        size="small"
                        color={v.action === 'reject' ? 'error' : 'warning'}
                        variant="outlined"
                        label={`${v.feature}: ${v.rule} · ${formatCount(v.rows)} ${v.rows === 1 ? 'row' : 'rows'} (${v.action})`}
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
                    No feature columns
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
