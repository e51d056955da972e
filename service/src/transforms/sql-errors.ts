import { AppError } from '../errors/app-error.js';
import { locationOf } from './code-location.js';

interface DuckJsonError {
  exception_type?: string;
  exception_message?: string;
  position?: string;
}

/**
 * Turns a DuckDB error (the session sets `errors_as_json`) into FSTORE_TRANSFORM_SQL with the line
 * and column in the user's SQL. `offset` is where the user's SQL starts in the statement that ran.
 */
export function sqlTransformError(err: unknown, userSql: string, offset = 0): AppError {
  if (err instanceof AppError) return err; // already says what happened (a limit, a cancel)
  const raw = err instanceof Error ? err.message : String(err);
  const parsed = parseDuckJson(raw);
  const message = parsed?.exception_message ?? raw.replace(/^[A-Za-z ]+Error: /, '').split('\n\n')[0]!;
  const kind = parsed?.exception_type ? `${parsed.exception_type} error` : 'Error';
  const position = parsed?.position === undefined ? undefined : Number(parsed.position) - offset;
  const located = position !== undefined && Number.isFinite(position) && position >= 0 && position <= userSql.length;
  const location = located ? locationOf(userSql, position) : undefined;
  const where = location ? ` (line ${location.line}, column ${location.column})` : '';
  return new AppError('FSTORE_TRANSFORM_SQL', `${kind}${where}: ${message.split('\n')[0]}`, {
    message,
    ...(location ? { location } : {}),
  });
}

function parseDuckJson(message: string): DuckJsonError | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start)) as DuckJsonError;
  } catch {
    return undefined;
  }
}
