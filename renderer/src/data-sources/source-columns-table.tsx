import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ColumnSchema } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { MONO_SX } from '../common/mono-text.js';

/** A source's columns as DuckDB reads them. */
export function SourceColumnsTable({ source, columns }: { source: string; columns: readonly ColumnSchema[] }) {
  const { t } = useTranslation('dataSources');
  if (columns.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary', px: 2, py: 1 }}>
        {t('columns.none')}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={t('columns.label', { source })} data-testid="source-columns">
      <TableHead>
        <TableRow>
          <TableCell>{t('columns.column')}</TableCell>
          <TableCell>{t('columns.type')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {columns.map((c) => (
          <TableRow key={c.name} data-testid="source-column" data-column={c.name}>
            <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>{c.name}</TableCell>
            <TableCell sx={{ ...MONO_SX, color: 'text.secondary' }}>{c.type}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
