import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { RowError } from '@shared/errors.js';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';

interface RejectedRowsTableProps {
  errors: readonly RowError[];
  invalidRows: number;
  /** False where an error above already says the batch was rejected. */
  hasSummary?: boolean;
}

/** The rows that would reject (or rejected) a batch: row number, column, value and reason. */
export function RejectedRowsTable({ errors, invalidRows, hasSummary = true }: RejectedRowsTableProps) {
  const { t } = useTranslation('ingest');
  const listedRows = new Set(errors.map((e) => e.row)).size;
  return (
    <Box data-testid="rejected-rows">
      {hasSummary && (
        <Alert severity="error" sx={{ mb: 1.5 }} data-testid="rejected-rows-summary">
          <AlertTitle>
            {t('rejected.summary', { count: invalidRows, formatted: formatCount(invalidRows) })}
            {listedRows < invalidRows ? t('rejected.firstListed', { listed: formatCount(listedRows) }) : ''}
          </AlertTitle>
          {t('rejected.explanation')}
        </Alert>
      )}
      <TableContainer sx={{ maxHeight: 360, border: 1, borderColor: 'divider', borderRadius: 1 }}>
        <Table size="small" stickyHeader aria-label={t('rejected.label')}>
          <TableHead>
            <TableRow>
              <TableCell align="right">{t('rejected.row')}</TableCell>
              <TableCell>{t('rejected.column')}</TableCell>
              <TableCell>{t('rejected.value')}</TableCell>
              <TableCell>{t('rejected.reason')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {errors.map((e, i) => (
              <TableRow key={`${e.row}-${e.column}-${i}`} data-testid="rejected-row" data-row={e.row} data-column={e.column}>
                <TableCell align="right" sx={MONO_SX} data-testid="rejected-row-number">
                  {e.row}
                </TableCell>
                <TableCell sx={{ ...MONO_SX, fontWeight: 600 }} data-testid="rejected-row-column">
                  {e.column}
                </TableCell>
                <TableCell sx={{ ...MONO_SX, color: e.value === null || e.value === undefined ? 'text.disabled' : 'error.main' }}>
                  {e.value === null || e.value === undefined ? t('rejected.empty') : e.value}
                </TableCell>
                <TableCell data-testid="rejected-row-reason">{e.reason}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}
