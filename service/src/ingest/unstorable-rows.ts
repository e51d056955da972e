/**
 * JSON rows are checked before anything is staged for values no store can keep as sent
 * (jsonValueProblem): a value nested too deeply would overflow the stack when serialised for the
 * staging file, and text holding a lone surrogate is refused by DuckDB's reader with a message
 * about bytes in a file the user never saw. The refusal has the shape of the other row-level batch
 * rejections (`ingest-service.ts`): rows numbered from 1, each with its column.
 */
import { jsonValueProblem } from '@shared/domain/json-value.js';
import { AppError } from '../errors/app-error.js';

const MAX_REPORTED_ERRORS = 100;

interface RowError {
  row: number;
  column: string;
  value: null;
  reason: string;
}

/** Throws FSTORE_INGEST_REJECTED (422, nothing written) when a column or value of `rows` cannot be stored. */
export function rejectUnstorableRows(rows: readonly Record<string, unknown>[]): void {
  const errors: RowError[] = [];
  let invalidRows = 0;
  let invalidValues = 0;
  rows.forEach((row, i) => {
    const problems = Object.keys(row).flatMap((column) => {
      const reason = jsonValueProblem(column) ?? jsonValueProblem(row[column]);
      return reason ? [{ column, reason }] : [];
    });
    if (problems.length === 0) return;
    invalidRows++;
    invalidValues += problems.length;
    for (const { column, reason } of problems) if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: i + 1, column, value: null, reason });
  });
  if (invalidRows === 0) return;
  const first = errors[0]!;
  throw new AppError(
    'FSTORE_INGEST_REJECTED',
    `${invalidRows} of ${rows.length} rows are invalid, so nothing was written. First: row ${first.row}, column '${first.column}': ${first.reason}`,
    { invalid_rows: invalidRows, rows: rows.length, errors, errors_truncated: errors.length < invalidValues },
  );
}
