import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, type ErrorBody } from '../contracts/errors.js';
import { STORAGE_RETRY_AFTER_SECONDS } from '../contracts/health.js';
import { AppError } from './app-error.js';
import { ServiceCallError } from './service-client.js';

/**
 * Retry-After on a 503 for a service that is down: the supervisor restarts a crashed one within
 * a second or two, and session look-ups and selections have already waited up to 5 s for it.
 */
const SERVICE_RETRY_AFTER_S = 2;

/** Fastify's own 4xx codes, mapped to ours so clients see one vocabulary. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.VALIDATION_FAILED,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.INVALID_JSON,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.INVALID_JSON,
};

export function toErrorBody(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    return { status: err.statusCode, body, headers: err.headers ? { ...err.headers } : undefined };
  }
  if (err instanceof ServiceCallError) {
    if (err.code === ErrorCode.STORAGE_UNAVAILABLE) {
      // data_node is up but cannot write: say that, not that a service is down, and when to retry.
      return {
        status: 503,
        body: {
          error: { code: err.code, message: err.message, details: { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS } },
        },
        headers: { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
      };
    }
    // A downstream 4xx is the caller's problem and passes through; anything else is ours.
    if (err.statusCode >= 400 && err.statusCode < 500) {
      return { status: err.statusCode, body: { error: { code: err.code, message: err.message } } };
    }
    // Name the service that failed, not the one in between: with data_node down, a session
    // look-up through auth_node says "data_node is unavailable". A coded 503 passes through.
    const service = err.failedService;
    const relayed = err.answered && err.statusCode === 503;
    return {
      status: 503,
      body: {
        error: {
          code: relayed ? err.code : ErrorCode.SERVICE_UNAVAILABLE,
          message: relayed ? err.message : `${service} is unavailable`,
          details: { service, retryAfterSeconds: SERVICE_RETRY_AFTER_S },
        },
      },
      headers: { 'retry-after': String(SERVICE_RETRY_AFTER_S) },
    };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    return {
      status: 400,
      body: { error: { code: ErrorCode.VALIDATION_FAILED, message: fe.message } },
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (fe.code && FASTIFY_CODES[fe.code]) || fe.code || ErrorCode.VALIDATION_FAILED;
    const message = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'body is not valid JSON' : fe.message;
    return { status: fe.statusCode, body: { error: { code, message } } };
  }
  // A 5xx never shows its message or stack to the client.
  return { status: 500, body: { error: { code: ErrorCode.INTERNAL, message: 'internal error' } } };
}

/**
 * Errors Fastify raises before routing, which skip the error handler: a path that does not
 * decode (`/%ZZ`) is answered in our coded format too, never Fastify's own body.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') {
    void reply
      .code(400)
      .send({ error: { code: ErrorCode.BAD_URL, message: 'the URL path is not valid percent-encoding' } });
    return;
  }
  const { status, body } = toErrorBody(err);
  void reply.code(status).send(body);
}

/** The one error handler (and 404 handler) every service registers. */
export function registerErrorHandling(app: FastifyInstance, mapError?: (err: unknown) => unknown): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body, headers } = toErrorBody(mapError ? mapError(err) : err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    if (headers) void reply.headers(headers);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: ErrorCode.ROUTE_NOT_FOUND, message: `no route ${request.method} ${request.url.split('?')[0]}` },
    };
    return reply.code(404).send(body);
  });
}
