/**
 * The limits on user SQL (transform previews and runs on the embedded engine), from the
 * configuration, and the errors that name the limit a query reached.
 */
import type { ServiceConfig } from '../config/config-schema.js';
import { AppError } from '../errors/app-error.js';

export interface UserSqlLimits {
  sessions: number;
  queueLength: number;
  queueWaitMs: number;
  previewTimeoutMs: number;
  /** 0: no limit. */
  runTimeoutMs: number;
  threads: number;
  memoryLimit: string;
  tempDirectoryLimit: string;
}

/** What a DuckDB session running user SQL is given. */
export type SessionResources = Pick<UserSqlLimits, 'threads' | 'memoryLimit' | 'tempDirectoryLimit'>;

export type UserSqlKind = 'preview' | 'run';

export function userSqlLimitsOf(config: ServiceConfig): UserSqlLimits {
  return {
    sessions: config.userSqlSessions,
    queueLength: config.userSqlQueueLength,
    queueWaitMs: config.userSqlQueueWaitMs,
    previewTimeoutMs: config.userSqlPreviewTimeoutMs,
    runTimeoutMs: config.userSqlRunTimeoutMs,
    threads: config.userSqlThreads,
    memoryLimit: config.userSqlMemoryLimit,
    tempDirectoryLimit: config.userSqlTempDirectoryLimit,
  };
}

/** libuv's threadpool size when UV_THREADPOOL_SIZE is not set. */
const DEFAULT_THREADPOOL_SIZE = 4;
/** Threadpool threads user SQL must leave to serving, ingestion, training and static files. */
const THREADS_LEFT_TO_THE_SERVICE = 2;

/**
 * Why `sessions` runaway user-SQL sessions could starve the rest of the service, or undefined.
 * Each running query holds a libuv threadpool thread (measured: with 4 sessions and the default 4
 * threads, ingestion and training waited for the previews' time limit). The size is read from the
 * environment at the first threadpool use, before any configuration is loaded, so it cannot come
 * from the configuration.
 */
export function threadpoolShareProblem(sessions: number, uvThreadpoolSize: string | undefined): string | undefined {
  const size = Number(uvThreadpoolSize) > 0 ? Math.min(1024, Math.floor(Number(uvThreadpoolSize))) : DEFAULT_THREADPOOL_SIZE;
  const needed = sessions + THREADS_LEFT_TO_THE_SERVICE;
  if (needed <= size) return undefined;
  return (
    `userSqlSessions is ${sessions} and Node's threadpool has ${size} threads (UV_THREADPOOL_SIZE): runaway user SQL could leave fewer than ` +
    `${THREADS_LEFT_TO_THE_SERVICE} for serving, ingestion, training and the web UI. Start the service with UV_THREADPOOL_SIZE=${needed} or more in its environment, or lower userSqlSessions`
  );
}

/** How long a waiting client should wait before trying again, in seconds (Retry-After). */
const RETRY_AFTER_SECONDS = 5;

export function timeLimitError(kind: UserSqlKind, limitMs: number): AppError {
  const limit = kind === 'preview' ? 'userSqlPreviewTimeoutMs' : 'userSqlRunTimeoutMs';
  const what = kind === 'preview' ? 'The preview' : 'The transform run';
  return new AppError(
    'FSTORE_TRANSFORM_TIMEOUT',
    `${what} ran past its time limit of ${seconds(limitMs)} (${limit}) and was stopped; nothing was written. Narrow the SQL or the sample, or ask an administrator to raise ${limit}`,
    { limit, value: limitMs },
  );
}

export function queueFullError(limits: UserSqlLimits): AppError {
  return new AppError(
    'FSTORE_TRANSFORM_BUSY',
    `${limits.sessions} transform previews or runs are running and ${limits.queueLength} more are waiting (userSqlSessions, userSqlQueueLength); retry later`,
    { limit: 'userSqlQueueLength', value: limits.queueLength },
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

export function queueWaitError(limits: UserSqlLimits): AppError {
  return new AppError(
    'FSTORE_TRANSFORM_BUSY',
    `No transform session became free within ${seconds(limits.queueWaitMs)} (userSqlQueueWaitMs; ${limits.sessions} run at once, userSqlSessions); retry later`,
    { limit: 'userSqlQueueWaitMs', value: limits.queueWaitMs },
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

export function cancelledError(kind: UserSqlKind): AppError {
  return new AppError(
    'FSTORE_CANCELLED',
    kind === 'preview' ? 'The preview was cancelled (its client went away)' : 'The transform run was cancelled; nothing was written',
  );
}

export function shuttingDownError(): AppError {
  return new AppError('FSTORE_SHUTTING_DOWN', 'The service is stopping; the SQL was interrupted. Retry once it is back', undefined, { retryAfterSeconds: RETRY_AFTER_SECONDS });
}

/**
 * A DuckDB "Out of Memory" error as the limit it hit: the temp-space cap (its message names
 * max_temp_directory_size) or the memory limit. Undefined for any other error.
 */
export function resourceLimitError(err: unknown, resources: SessionResources): AppError | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Out of Memory/i.test(message)) return undefined;
  if (/max_temp_directory_size/.test(message)) {
    return new AppError(
      'FSTORE_TRANSFORM_MEMORY',
      `The SQL needed more than ${resources.tempDirectoryLimit} of temporary disk space (userSqlTempDirectoryLimit) and was stopped`,
      { limit: 'userSqlTempDirectoryLimit', value: resources.tempDirectoryLimit },
    );
  }
  return new AppError(
    'FSTORE_TRANSFORM_MEMORY',
    `The SQL needed more than ${resources.memoryLimit} of memory (userSqlMemoryLimit) and could not spill to disk; it was stopped`,
    { limit: 'userSqlMemoryLimit', value: resources.memoryLimit },
  );
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
