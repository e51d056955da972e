import { ERROR_CATALOGUE, type ErrorCode } from '@shared/errors.js';

/** The one error type the service throws on purpose; the error handler turns it into the error shape. */
export class AppError extends Error {
  readonly status: number;
  /** Sent as Retry-After: when a refusal for load (503) is worth retrying. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Raised by storage adapters when an optimistic-concurrency check fails. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly reason: 'exists' | 'changed',
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Raised by storage adapters when their backend cannot be reached; served as 503. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}
