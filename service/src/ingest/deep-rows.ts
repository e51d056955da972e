/**
 * JSON rows are checked for values nested too deeply before anything is staged: serialising one
 * (for the staging file) would overflow the stack. The refusal has the shape of the other
 * row-level batch rejections (`ingest-service.ts`): rows numbered from 1, each with its column.
 */
import { exceedsJsonDepth, TOO_DEEP } from '@shared/domain/json-depth.js';
import { AppError } from '../errors/app-error.js';

const MAX_REPORTED_ERRORS = 100;

interface RowError {
  row: number;
  column: string;
  value: null;
  reason: string;
}

/** Throws FSTORE_INGEST_REJECTED (422, nothing written) when a value of `rows` nests too deeply. */
export function rejectDeepRows(rows: readonly Record<string, unknown>[]): void {
  const errors: RowError[] = [];
  let invalidRows = 0;
  let invalidValues = 0;
  rows.forEach((row, i) => {
    const deep = Object.keys(row).filter((column) => exceedsJsonDepth(row[column]));
    if (deep.length === 0) return;
    invalidRows++;
    invalidValues += deep.length;
    for (const column of deep) if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: i + 1, column, value: null, reason: TOO_DEEP });
  });
  if (invalidRows === 0) return;
  const first = errors[0]!;
  throw new AppError(
    'FSTORE_INGEST_REJECTED',
    `${invalidRows} of ${rows.length} rows are invalid, so nothing was written. First: row ${first.row}, column '${first.column}': ${first.reason}`,
    { invalid_rows: invalidRows, rows: rows.length, errors, errors_truncated: errors.length < invalidValues },
  );
}
