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
  const summary = useTrainingSetSummary(jobId);
  if (summary.error !== undefined) return <ErrorAlert error={summary.error} onRetry={summary.reload} />;
  if (!summary.data) {
    return (
      <Box data-testid="training-preview-loading" sx={{ display: 'grid', gap: 1 }}>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Reading the first rows and each feature&apos;s coverage…
        </Typography>
        <LinearProgress sx={{ height: 2 }} />
      </Box>
    );
  }
  return <SummaryView summary={summary.data} />;
}

function SummaryView({ summary }: { summary: TrainingSetSummary }) {
  const rows = summary.row_count;
  return (
    <Box sx={{ display: 'grid', gap: 2.5 }} data-testid="training-preview">
      <Box sx={{ display: 'grid', gap: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 650 }}>
          Feature coverage
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Share of the {formatCount(rows)} {rows === 1 ? 'row' : 'rows'} with a value (null: no value at or before the label time, within the TTL)
        </Typography>
        <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
          <TableContainer>
            <Table size="small" aria-label="Feature coverage" data-testid="coverage-table">
              <TableHead>
                <TableRow>
                  <TableCell>Feature</TableCell>
                  <TableCell sx={{ width: '40%' }}>Coverage</TableCell>
                  <TableCell align="right">Share</TableCell>
                  <TableCell align="right">Rows with a value</TableCell>
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
                        aria-label={`${c.column}: ${formatShare(c.share)} of rows have a value`}
                        sx={{ height: 6, borderRadius: 3 }}
                      />
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="coverage-share">
                      {formatShare(c.share)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="coverage-count">
                      {formatCount(c.non_null)} of {formatCount(rows)}
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
          {summary.preview.length < rows ? `First ${formatCount(summary.preview.length)} of ${formatCount(rows)} rows` : `All ${formatCount(rows)} ${rows === 1 ? 'row' : 'rows'}`}
        </Typography>
        <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
          <TableContainer sx={{ maxHeight: 380 }}>
            <Table size="small" stickyHeader aria-label="First rows of the training set" data-testid="training-preview-table">
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
