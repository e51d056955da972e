import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { TrainingSetSummary } from '@shared/api/serving.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatCount } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';
import { formatShare } from '../monitoring/format-metric.js';
import { formatCell } from '../transforms/studio/format-cell.js';
import { useTrainingSetSummary } from './use-training-set-summary.js';

/** Below half the rows with a value, a feature's coverage is worth a second look before training. */
const LOW_COVERAGE = 0.5;

function coverageColor(share: number): 'success' | 'primary' | 'warning' | 'error' {
  if (share === 0) return 'error';
  if (share < LOW_COVERAGE) return 'warning';
  return share === 1 ? 'success' : 'primary';
}

/** A look at the finished training set before downloading it: each feature's coverage over all rows, and the first rows. */
export function TrainingSetPreview({ jobId }: { jobId: string }) {
  const { t } = useTranslation('training');
  const summary = useTrainingSetSummary(jobId);
  if (summary.error !== undefined) return <ErrorAlert error={summary.error} onRetry={summary.reload} />;
  if (!summary.data) {
    return (
      <Box data-testid="training-preview-loading" sx={{ display: 'grid', gap: 1 }}>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('preview.loading')}
        </Typography>
        <LinearProgress sx={{ height: 2 }} />
      </Box>
    );
  }
  return <SummaryView summary={summary.data} />;
}

function SummaryView({ summary }: { summary: TrainingSetSummary }) {
  const { t } = useTranslation('training');
  const rows = summary.row_count;
  return (
    <Box sx={{ display: 'grid', gap: 2.5 }} data-testid="training-preview">
      <Box sx={{ display: 'grid', gap: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 650 }}>
          {t('preview.coverage')}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('preview.coverageHelp', { count: rows, n: formatCount(rows) })}
        </Typography>
        <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
          <TableContainer>
            <Table size="small" aria-label={t('preview.coverage')} data-testid="coverage-table">
              <TableHead>
                <TableRow>
                  <TableCell>{t('preview.feature')}</TableCell>
                  <TableCell sx={{ width: '40%' }}>{t('preview.coverageColumn')}</TableCell>
                  <TableCell align="right">{t('preview.share')}</TableCell>
                  <TableCell align="right">{t('preview.withValue')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {summary.coverage.map((c) => (
                  <TableRow key={c.column} data-testid="coverage-row" data-feature={c.feature} data-share={c.share}>
                    <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>{c.column}</TableCell>
                    <TableCell>
                      <LinearProgress
                        variant="determinate"
                        value={c.share * 100}
                        color={coverageColor(c.share)}
                        aria-label={t('preview.barLabel', { column: c.column, share: formatShare(c.share) })}
                        sx={{ height: 6, borderRadius: 3 }}
                      />
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="coverage-share">
                      {formatShare(c.share)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="coverage-count">
                      {t('preview.countOf', { shown: formatCount(c.non_null), total: formatCount(rows) })}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      </Box>
      <Box sx={{ display: 'grid', gap: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 650 }} data-testid="preview-caption">
          {summary.preview.length < rows
            ? t('preview.first', { shown: formatCount(summary.preview.length), total: formatCount(rows) })
            : t('preview.all', { count: rows, n: formatCount(rows) })}
        </Typography>
        <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
          <TableContainer sx={{ maxHeight: 380 }}>
            <Table size="small" stickyHeader aria-label={t('preview.tableLabel')} data-testid="training-preview-table">
              <TableHead>
                <TableRow>
                  {summary.columns.map((column) => (
                    <TableCell key={column} sx={{ ...MONO_SX, fontWeight: 650, whiteSpace: 'nowrap', textTransform: 'none', letterSpacing: 'normal' }} data-testid="preview-column">
                      {column}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {summary.preview.map((row, index) => (
                  <TableRow key={index} data-testid="training-preview-row">
                    {summary.columns.map((column, i) => (
                      <TableCell key={column} sx={{ ...MONO_SX, whiteSpace: 'nowrap', color: row[i] === null ? 'text.secondary' : undefined }}>
                        {formatCell(row[i])}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      </Box>
    </Box>
  );
}
