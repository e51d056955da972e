import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { FieldChange } from '@shared/domain/schemas.js';
import { formatValue } from './format-value.js';
import { MONO_SX } from './mono-text.js';

interface FieldChangesTableProps {
  changes: readonly FieldChange[];
  beforeLabel: string;
  afterLabel: string;
  ariaLabel: string;
  /** A new object: only the values it will have (the empty ones left out), no "before" column. */
  isCreation?: boolean;
}

/** Fields whose values are code, shown in a monospaced font with their line breaks. */
const CODE_FIELDS = new Set(['code', 'query']);

/** Field-level changes of a definition: the old value struck through, the new one highlighted. */
export function FieldChangesTable({ changes, beforeLabel, afterLabel, ariaLabel, isCreation = false }: FieldChangesTableProps) {
  const { t } = useTranslation();
  const rows = isCreation ? changes.filter((c) => formatValue(c.after) !== '—' && formatValue(c.after) !== '[]') : changes;
  const valueSx = (field: string) => ({
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    ...(CODE_FIELDS.has(field) ? { ...MONO_SX, fontSize: 12.5 } : {}),
  });
  return (
    <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1 }}>
      <Table size="small" aria-label={ariaLabel} data-testid="diff-table">
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: '20%' }}>{t('changes.field')}</TableCell>
            {!isCreation && <TableCell sx={{ width: '40%' }}>{beforeLabel}</TableCell>}
            <TableCell sx={{ width: isCreation ? '80%' : '40%' }}>{afterLabel}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((c) => (
            <TableRow key={c.field} data-testid="diff-row" data-field={c.field}>
              <TableCell sx={{ ...MONO_SX, fontWeight: 600, verticalAlign: 'top' }}>{c.field}</TableCell>
              {!isCreation && (
                <TableCell data-testid="diff-before" sx={{ bgcolor: 'rgba(244, 67, 54, 0.08)', verticalAlign: 'top' }}>
                  <Typography variant="body2" sx={{ ...valueSx(c.field), textDecoration: 'line-through', textDecorationColor: 'rgba(244,67,54,0.5)' }}>
                    {formatValue(c.before)}
                  </Typography>
                </TableCell>
              )}
              <TableCell data-testid="diff-after" sx={{ bgcolor: 'rgba(76, 175, 80, 0.1)', verticalAlign: 'top' }}>
                <Typography variant="body2" sx={valueSx(c.field)}>
                  {formatValue(c.after)}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
