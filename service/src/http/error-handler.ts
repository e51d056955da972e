import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from '@shared/errors.js';
import { AppError, BackendUnavailableError } from '../errors/app-error.js';

/** One error shape for every failure: `{ error: { code, message, details, request_id } }`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    const { status, body } = withRequestId(toErrorBody(err), request);
    // A refusal for load (busy, stopping) is expected under pressure: a warning, not a failure.
    const retryAfter = err instanceof AppError ? err.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) {
      request.log.warn({ code: body.error.code }, body.error.message);
      void reply.header('retry-after', String(retryAfter));
    } else if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.error.code }, body.error.message);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body = errorBody('FSTORE_ROUTE_NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}; see /docs`);
    void reply.status(404).send(withRequestId({ status: 404, body }, request).body);
  });
}

/** Fastify's `frameworkErrors`: errors raised by the router before any route or hook runs. */
export function sendFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = withRequestId(toErrorBody(err), request);
  void reply.header('x-request-id', request.id);
  void reply.status(status).send(body);
}

export function toErrorBody(err: FastifyError | Error): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  if (err instanceof BackendUnavailableError) {
    return { status: 503, body: errorBody('FSTORE_BACKEND_UNAVAILABLE', `${err.backend} is unavailable: ${err.message}`) };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      path: `${fe.validationContext ? `${fe.validationContext}` : ''}${v.instancePath || ''}`,
      message: describeValidation(v.message, v.params as Record<string, unknown>),
    }));
    return {
      status: 400,
      body: errorBody('FSTORE_VALIDATION_FAILED', details.map((d) => `${d.path || 'request'}: ${d.message}`).join('; '), details),
    };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody('FSTORE_PAYLOAD_TOO_LARGE', fe.message) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: errorBody('FSTORE_UNSUPPORTED_FORMAT', `${fe.message}; send application/json, text/csv, application/vnd.apache.parquet, application/x-ndjson or multipart/form-data`),
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, body: errorBody('FSTORE_VALIDATION_FAILED', 'A name in the URL is longer than the 100 characters allowed') };
    case 'FST_ERR_BAD_URL':
      return { status: 400, body: errorBody('FSTORE_VALIDATION_FAILED', `The URL is malformed: ${fe.message}`) };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: errorBody('FSTORE_VALIDATION_FAILED', `The JSON body is invalid: ${fe.message}`) };
    default:
      break;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: errorBody('FSTORE_VALIDATION_FAILED', fe.message) };
  }
  return { status: 500, body: errorBody('FSTORE_INTERNAL', 'Internal error; the service log has the details') };
}

/** The error names the request it answers, so a user can quote it and an operator find its log lines. */
function withRequestId(answer: { status: number; body: ErrorBody }, request: FastifyRequest): { status: number; body: ErrorBody } {
  return { status: answer.status, body: { error: { ...answer.body.error, request_id: String(request.id) } } };
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message: message || ERROR_CATALOGUE[code].title, ...(details === undefined ? {} : { details }) } };
}

function describeValidation(message: string | undefined, params: Record<string, unknown>): string {
  if (params['additionalProperty']) return `unknown field '${String(params['additionalProperty'])}'`;
  if (params['missingProperty']) return `required field '${String(params['missingProperty'])}' is missing`;
  if (Array.isArray(params['allowedValues'])) return `${message}: ${(params['allowedValues'] as unknown[]).join(', ')}`;
  return message ?? 'is invalid';
}
