/**
 * The error catalogue: every error FStore returns has a stable code, an HTTP status and one shape,
 * `{ error: { code, message, details } }`. Clients rebuild typed errors from the code.
 */
export const ERROR_CATALOGUE = {
  FSTORE_VALIDATION_FAILED: { status: 400, title: 'The request is invalid' },
  FSTORE_INVALID_NAME: { status: 400, title: 'A name is not valid' },
  FSTORE_INGEST_REJECTED: { status: 422, title: 'The batch was rejected; nothing was written' },
  FSTORE_UNSUPPORTED_FORMAT: { status: 415, title: 'The data format is not supported' },
  FSTORE_ENTITY_NOT_FOUND: { status: 404, title: 'Entity not found' },
  FSTORE_FEATURE_GROUP_NOT_FOUND: { status: 404, title: 'Feature group not found' },
  FSTORE_FEATURE_NOT_FOUND: { status: 404, title: 'Feature not found' },
  FSTORE_VERSION_NOT_FOUND: { status: 404, title: 'Version not found' },
  FSTORE_ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  FSTORE_ALREADY_EXISTS: { status: 409, title: 'An object with that name already exists' },
  FSTORE_VERSION_CONFLICT: { status: 409, title: 'The object changed since it was read' },
  FSTORE_ARCHIVED: { status: 409, title: 'The object is archived' },
  FSTORE_CANCELLED: { status: 409, title: 'The operation was cancelled' },
  FSTORE_INTERRUPTED: { status: 500, title: 'The service stopped while the job was running' },
  FSTORE_UPLOAD_NOT_FOUND: { status: 404, title: 'Upload not found' },
  FSTORE_IN_USE: { status: 409, title: 'The object is still used by others' },
  FSTORE_FORBIDDEN_PATH: { status: 403, title: 'The path is outside the folders FStore may read' },
  FSTORE_UNAUTHENTICATED: { status: 401, title: 'A valid API key is required' },
  FSTORE_FORBIDDEN_ROLE: { status: 403, title: "The API key's role does not allow this request" },
  FSTORE_API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  FSTORE_DATA_SOURCE_NOT_FOUND: { status: 404, title: 'Data source not found' },
  FSTORE_CONNECTION_NOT_FOUND: { status: 404, title: 'Saved connection not found' },
  FSTORE_TRANSFORM_NOT_FOUND: { status: 404, title: 'Transform not found' },
  FSTORE_FEATURE_SERVICE_NOT_FOUND: { status: 404, title: 'Feature service not found' },
  FSTORE_ALERT_RULE_NOT_FOUND: { status: 404, title: 'Alert rule not found' },
  FSTORE_ALERT_NOT_FOUND: { status: 404, title: 'Alert not found' },
  FSTORE_TRANSFORM_SQL: { status: 400, title: 'The SQL transform is invalid or failed' },
  FSTORE_TRANSFORM_COMPILE: { status: 400, title: 'The transform does not compile' },
  FSTORE_TRANSFORM_RUNTIME: { status: 422, title: 'The transform failed on a row' },
  FSTORE_TRANSFORM_OUTPUT: { status: 422, title: 'The transform returned something that is not plain data' },
  FSTORE_TRANSFORM_TIMEOUT: { status: 422, title: 'The transform ran past its time limit' },
  FSTORE_TRANSFORM_MEMORY: { status: 422, title: 'The transform used more memory than allowed' },
  FSTORE_TRANSFORM_BUSY: { status: 503, title: 'Too many transform previews and runs are running or waiting; retry later' },
  FSTORE_JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  FSTORE_JOB_RESULT_NOT_FOUND: { status: 404, title: 'The job has no result file (not a training-set job, not succeeded, or expired)' },
  FSTORE_PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  FSTORE_BACKEND_UNAVAILABLE: { status: 503, title: 'A storage backend is unavailable' },
  FSTORE_SHUTTING_DOWN: { status: 503, title: 'The service is stopping' },
  FSTORE_SOURCE_UNAVAILABLE: { status: 502, title: 'The data source cannot be reached' },
  FSTORE_SOURCE_QUERY_FAILED: { status: 422, title: 'Reading the data source failed' },
  FSTORE_SPARK_UNAVAILABLE: { status: 501, title: 'The Spark engine is not configured or cannot be started' },
  FSTORE_SPARK_FAILED: { status: 500, title: 'The Spark job failed' },
  FSTORE_LIMIT_EXCEEDED: { status: 422, title: 'A configured limit was reached; nothing was written' },
  FSTORE_INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorBody {
  /** `request_id`: the request's id (its `X-Request-Id`), as in the service's log lines. */
  error: { code: ErrorCode; message: string; details?: unknown; request_id?: string };
}

export function isErrorBody(x: unknown): x is ErrorBody {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

/** One row-level problem in an ingestion batch. `row` is 1-based over data rows (header excluded). */
export interface RowError {
  row: number;
  column: string;
  value?: string | null;
  reason: string;
}
