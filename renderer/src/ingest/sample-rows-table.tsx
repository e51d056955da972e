import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import { alpha } from '@mui/material/styles';
import type { IngestPreview } from '@shared/api/serving.js';
import { useTranslation } from 'react-i18next';
import { formatValue } from '../common/format-value.js';
import { MONO_SX } from '../common/mono-text.js';

/** The first rows of the file as read, with the cells that would be rejected marked. */
export function SampleRowsTable({ preview }: { preview: IngestPreview }) {
  const { t } = useTranslation('ingest');
  const reasons = new Map((preview.validation?.errors ?? []).map((e) => [`${e.row}:${e.column}`, e.reason]));
  const plan = preview.plan;
  return (
    <TableContainer sx={{ maxHeight: 520 }}>
      <Table size="small" stickyHeader aria-label={t('sample.label')} data-testid="sample-table">
        <TableHead>
          <TableRow>
            <TableCell align="right" sx={{ width: 48 }}>
              #
            </TableCell>
            {preview.columns.map((c) => (
              <TableCell key={c.name} sx={{ textTransform: 'none', ...MONO_SX, fontSize: 12 }}>
                {c.name}
                {plan?.entity_key_column === c.name && <Box component="span" sx={{ color: 'secondary.main', ml: 0.5 }}>{t('sample.key')}</Box>}
                {plan?.event_time_column === c.name && <Box component="span" sx={{ color: 'secondary.main', ml: 0.5 }}>{t('sample.time')}</Box>}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.sample.map((row, index) => {
            const rowNumber = index + 1;
            return (
              <TableRow key={rowNumber} data-testid="sample-row" data-row={rowNumber}>
                <TableCell align="right" sx={{ ...MONO_SX, color: 'text.secondary' }}>
                  {rowNumber}
                </TableCell>
                {preview.columns.map((c) => {
                  const value = row[c.name];
                  const reason = reasons.get(`${rowNumber}:${c.name}`);
                  const isEmpty = value === null || value === undefined || value === '';
                  const cell = (
                    <TableCell
                      key={c.name}
                      data-column={c.name}
                      data-invalid={reason ? 'true' : undefined}
                      sx={(theme) => ({
                        ...MONO_SX,
                        whiteSpace: 'nowrap',
                        maxWidth: 280,
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        color: reason ? 'error.main' : isEmpty ? 'text.disabled' : 'text.primary',
                        bgcolor: reason ? alpha(theme.palette.error.main, 0.1) : undefined,
                        fontWeight: reason ? 600 : undefined,
                      })}
                    >
                      {isEmpty ? 'null' : formatValue(value)}
                    </TableCell>
                  );
                  return reason ? (
                    <Tooltip key={c.name} title={reason}>
                      {cell}
                    </Tooltip>
                  ) : (
                    cell
                  );
                })}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
