import { FStoreApiError } from '@shared/api/client.js';
import { ERROR_CATALOGUE } from '@shared/errors.js';
import { i18n } from '../i18n/i18n.js';

/** One problem the service attached to an error, with the request path it concerns when known. */
export interface ErrorProblem {
  /** Top-level request field the problem is about (`name`, `tags`...), when it can be told. */
  field?: string;
  path?: string;
  message: string;
}

export interface DescribedError {
  title: string;
  message: string;
  code?: string;
  problems: ErrorProblem[];
}

/** Turns anything thrown by the client (or elsewhere) into text the UI can show. */
export function describeApiError(err: unknown): DescribedError {
  if (err instanceof FStoreApiError) {
    return {
      title: titleOf(err),
      message: err.message,
      code: err.code,
      problems: problemsFromDetails(err.details),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { title: i18n.t('api:errors.generic'), message, problems: [] };
}

function titleOf(err: FStoreApiError): string {
  if (err.code === 'FSTORE_NETWORK') return i18n.t('api:errors.unreachable');
  if (!(err.code in ERROR_CATALOGUE)) return i18n.t('api:errors.http', { status: err.status });
  // The catalogue's titles are English; the UI shows its own translation when it has one.
  const key = `api:errorTitles.${err.code}`;
  return i18n.exists(key) ? String(i18n.t(key as 'api:errorTitles.FSTORE_INTERNAL')) : ERROR_CATALOGUE[err.code].title;
}

/**
 * `details` has no single shape across endpoints: a list of `{ path, message }` (schema
 * validation), a list of strings, or an object holding such a list or keyed by field.
 */
export function problemsFromDetails(details: unknown): ErrorProblem[] {
  if (details === undefined || details === null) return [];
  if (Array.isArray(details)) return details.flatMap((item) => problemFromItem(item));
  if (typeof details === 'string') return [{ message: details }];
  if (typeof details === 'object') {
    const record = details as Record<string, unknown>;
    for (const key of ['errors', 'problems', 'issues', 'fields']) {
      if (Array.isArray(record[key])) return problemsFromDetails(record[key]);
    }
    if (['message', 'reason', 'msg'].some((k) => typeof record[k] === 'string')) return problemFromItem(record);
    return Object.entries(record)
      .filter(([, v]) => typeof v === 'string')
      .map(([path, v]) => withField({ path, message: v as string }));
  }
  return [];
}

function problemFromItem(item: unknown): ErrorProblem[] {
  if (typeof item === 'string') return [{ message: item }];
  if (typeof item !== 'object' || item === null) return [];
  const record = item as Record<string, unknown>;
  const message = firstString(record, ['message', 'reason', 'msg', 'error']) ?? JSON.stringify(item);
  const rawPath = record['path'] ?? record['instancePath'] ?? record['field'] ?? record['loc'];
  const path = Array.isArray(rawPath) ? rawPath.join('/') : typeof rawPath === 'string' ? rawPath : undefined;
  return [withField(path === undefined ? { message } : { path, message })];
}

function withField(problem: ErrorProblem): ErrorProblem {
  if (!problem.path) return problem;
  const segments = problem.path.split(/[/.[\]]+/).filter((s) => s.length > 0 && s !== 'body');
  const field = segments[0];
  return field ? { ...problem, field } : problem;
}

function firstString(record: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}
