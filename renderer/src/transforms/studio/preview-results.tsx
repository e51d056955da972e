import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ColumnStats, TransformPreview } from '@shared/api/transforms.js';
import { formatDuration } from '../../common/format-duration.js';
import { formatCount } from '../../common/format-number.js';
import { MONO_SX } from '../../common/mono-text.js';
import { SectionCard } from '../../common/section-card.js';
import { ColumnRoleChip } from './column-role-chip.js';
import { formatCell } from './format-cell.js';
import { MiniHistogram } from './mini-histogram.js';

/** The percentiles shown as columns; p5 and p95 are in the service's answer too, left out for width. */
const PERCENTILES = [
  ['p25', 'p25'],
  ['p50', 'Median'],
  ['p75', 'p75'],
] as const satisfies readonly (readonly [keyof NonNullable<ColumnStats['quantiles']>, string])[];

/** The preview's outcome: summary, result rows with each column's role, and per-column statistics. */
export function PreviewResults({ preview, isStale }: { preview: TransformPreview; isStale: boolean }) {
  const shown = preview.rows.length;
  const sources = Object.entries(preview.source_rows)
    .map(([name, rows]) => `${name}: ${formatCount(rows)}`)
    .join(', ');
  const sample = describeSample(preview.sample);
  return (
    <Box sx={{ display: 'grid', gap: 2, opacity: isStale ? 0.55 : 1, transition: 'opacity 120ms' }} data-testid="preview-results" data-stale={isStale}>
      <Typography variant="body2" data-testid="preview-summary" sx={{ color: 'text.secondary' }}>
        <Box component="strong" sx={{ color: 'text.primary' }} data-testid="preview-row-count">
          {formatCount(preview.row_count)} {preview.row_count === 1 ? 'row' : 'rows'}
        </Box>{' '}
        in <span data-testid="preview-elapsed">{formatDuration(preview.elapsed_ms)}</span>
        {shown < preview.row_count && ` · showing the first ${formatCount(shown)}`} · sample: {sample}
        {sources && ` · source rows (${sources})`}
      </Typography>
      {preview.warnings.length > 0 && (
        <Alert severity="warning" data-testid="preview-warnings">
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </Box>
        </Alert>
      )}
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <TableContainer sx={{ maxHeight: 420 }}>
          <Table size="small" stickyHeader aria-label="Preview result" data-testid="preview-table">
            <TableHead>
              <TableRow>
                {preview.columns.map((c) => (
                  <TableCell key={c.name} data-testid="preview-column" data-column={c.name} data-role={c.role} sx={{ whiteSpace: 'nowrap', verticalAlign: 'top', textTransform: 'none', letterSpacing: 'normal' }}>
                    <Box sx={{ ...MONO_SX, fontWeight: 650, color: 'text.primary' }}>{c.name}</Box>
                    <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'center', mt: 0.5 }}>
                      <ColumnRoleChip role={c.role} />
                      <Typography variant="caption" sx={{ ...MONO_SX, fontSize: 11, color: 'text.secondary' }}>
                        {c.value_type ?? c.duck_type}
                      </Typography>
                    </Box>
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {preview.rows.map((row, index) => (
                <TableRow key={index} data-testid="preview-row" data-row={index + 1}>
                  {preview.columns.map((c) => (
                    <TableCell key={c.name} data-column={c.name} sx={{ ...MONO_SX, whiteSpace: 'nowrap' }}>
                      {formatCell(row[c.name])}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {preview.rows.length === 0 && (
          <Typography variant="body2" sx={{ p: 2, color: 'text.secondary' }} data-testid="preview-no-rows">
            The query returned no rows for this sample.
          </Typography>
        )}
      </Paper>
      <SectionCard title="Column statistics" subtitle="Over every result row; percentiles and a histogram for numeric columns" isFlush>
        <TableContainer>
          <Table size="small" aria-label="Column statistics" data-testid="preview-stats">
            <TableHead>
              <TableRow>
                <TableCell>Column</TableCell>
                <TableCell>Distribution</TableCell>
                <TableCell align="right">Count</TableCell>
                <TableCell align="right">Nulls</TableCell>
                <TableCell align="right">Distinct</TableCell>
                <TableCell>Min</TableCell>
                {PERCENTILES.map(([, label]) => (
                  <TableCell key={label} align="right">
                    {label}
                  </TableCell>
                ))}
                <TableCell>Max</TableCell>
                <TableCell align="right">Mean</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {preview.stats.map((s) => (
                <TableRow key={s.column} data-testid="stats-row" data-column={s.column}>
                  <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>{s.column}</TableCell>
                  <TableCell sx={{ py: 0.5 }}>{s.histogram ? <MiniHistogram histogram={s.histogram} /> : '—'}</TableCell>
                  <TableCell align="right">{formatCount(s.count)}</TableCell>
                  <TableCell align="right" sx={{ color: s.nulls > 0 ? 'warning.main' : undefined }}>
                    {formatCount(s.nulls)}
                  </TableCell>
                  <TableCell align="right">{formatCount(s.distinct)}</TableCell>
                  <TableCell sx={MONO_SX}>{formatCell(s.min)}</TableCell>
                  {PERCENTILES.map(([key, label]) => (
                    <TableCell key={label} align="right" sx={MONO_SX} data-testid={`stats-${key}`}>
                      {formatCell(s.quantiles?.[key])}
                    </TableCell>
                  ))}
                  <TableCell sx={MONO_SX}>{formatCell(s.max)}</TableCell>
                  <TableCell align="right" sx={MONO_SX}>
                    {formatCell(s.mean)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </SectionCard>
    </Box>
  );
}

function describeSample({ mode, rows }: TransformPreview['sample']): string {
  if (mode === 'all') return 'every row';
  const how = mode === 'head' ? 'the first' : mode === 'random' ? 'a random' : mode;
  return rows === null ? how : `${how} ${formatCount(rows)} rows per source`;
}
