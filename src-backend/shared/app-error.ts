import { ErrorCode } from '../contracts/errors.js';

/** A coded error a route throws on purpose; the service's error handler renders it. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code: string = ErrorCode.VALIDATION_FAILED, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'authentication required', code: string = ErrorCode.UNAUTHORIZED) =>
  new AppError(401, code, message);
export const forbidden = (message = 'not allowed', code: string = ErrorCode.FORBIDDEN) =>
  new AppError(403, code, message);
export const notFound = (message: string, code: string = ErrorCode.NOT_FOUND) => new AppError(404, code, message);
export const conflict = (message: string, code: string = ErrorCode.CONFLICT) => new AppError(409, code, message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(
    429,
    ErrorCode.RATE_LIMITED,
    message,
    { retryAfterSeconds },
    {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    },
  );
export const unavailable = (message: string, code: string = ErrorCode.SERVICE_UNAVAILABLE) =>
  new AppError(503, code, message);
