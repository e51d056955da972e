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
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../common/format-duration.js';
import { formatCount } from '../../common/format-number.js';
import { MONO_SX } from '../../common/mono-text.js';
import { SectionCard } from '../../common/section-card.js';
import { ColumnRoleChip } from './column-role-chip.js';
import { formatCell } from './format-cell.js';
import { MiniHistogram } from './mini-histogram.js';
import { i18n } from '../../i18n/i18n.js';

/** The percentiles shown as columns; p5 and p95 are in the service's answer too, left out for width. */
const PERCENTILES = [
  ['p25', 'p25'],
  ['p50', 'median'],
  ['p75', 'p75'],
] as const satisfies readonly (readonly [keyof NonNullable<ColumnStats['quantiles']>, string])[];

/** The preview's outcome: summary, result rows with each column's role, and per-column statistics. */
export function PreviewResults({ preview, isStale }: { preview: TransformPreview; isStale: boolean }) {
  const { t } = useTranslation('transforms');
  const percentileLabel = (label: (typeof PERCENTILES)[number][1]) => (label === 'median' ? t('results.median') : label);
  const shown = preview.rows.length;
  const sources = Object.entries(preview.source_rows)
    .map(([name, rows]) => `${name}: ${formatCount(rows)}`)
    .join(', ');
  const sample = describeSample(preview.sample);
  return (
    <Box sx={{ display: 'grid', gap: 2, opacity: isStale ? 0.55 : 1, transition: 'opacity 120ms' }} data-testid="preview-results" data-stale={isStale}>
      <Typography variant="body2" data-testid="preview-summary" sx={{ color: 'text.secondary' }}>
        <Box component="strong" sx={{ color: 'text.primary' }} data-testid="preview-row-count">
          {t('results.rows', { count: preview.row_count, formatted: formatCount(preview.row_count) })}
        </Box>{' '}
        {t('results.in')} <span data-testid="preview-elapsed">{formatDuration(preview.elapsed_ms)}</span>
        {shown < preview.row_count && t('results.showingFirst', { shown: formatCount(shown) })}
        {t('results.sample', { sample })}
        {sources && t('results.sourceRows', { sources })}
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
          <Table size="small" stickyHeader aria-label={t('results.label')} data-testid="preview-table">
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
            {t('results.noRows')}
          </Typography>
        )}
      </Paper>
      <SectionCard title={t('results.stats')} subtitle={t('results.statsSubtitle')} isFlush>
        <TableContainer>
          <Table size="small" aria-label={t('results.stats')} data-testid="preview-stats">
            <TableHead>
              <TableRow>
                <TableCell>{t('results.column')}</TableCell>
                <TableCell>{t('results.distribution')}</TableCell>
                <TableCell align="right">{t('results.count')}</TableCell>
                <TableCell align="right">{t('results.nulls')}</TableCell>
                <TableCell align="right">{t('results.distinct')}</TableCell>
                <TableCell>{t('results.min')}</TableCell>
                {PERCENTILES.map(([, label]) => (
                  <TableCell key={label} align="right">
                    {percentileLabel(label)}
                  </TableCell>
                ))}
                <TableCell>{t('results.max')}</TableCell>
                <TableCell align="right">{t('results.mean')}</TableCell>
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
  if (mode === 'all') return i18n.t('transforms:results.everyRow');
  if (rows === null) return mode === 'head' ? i18n.t('transforms:results.first') : mode === 'random' ? i18n.t('transforms:results.random') : mode;
  const formatted = formatCount(rows);
  if (mode === 'head') return i18n.t('transforms:results.firstRows', { formatted });
  if (mode === 'random') return i18n.t('transforms:results.randomRows', { formatted });
  return i18n.t('transforms:results.otherRows', { mode, formatted });
}
