import type { ServiceName } from '../../contracts/services.js';
import { CliError, failure, oneLine } from '../cli-error.js';
import { NoSupervisorError, NotHereError, UnreachableError } from './api.js';

export const NOT_RUNNING = 'services not running: start them with npm run server';
export const SESSION_EXPIRED = 'session expired: run course-cli user login';
export const NOT_LOGGED_IN = 'not logged in: run course-cli user login';

interface ErrorBodyLike {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The server's own message from `{error:{code,message}}`, or a stand-in. */
export function serverMessage(body: unknown, fallback: string): { code: string; message: string; details: unknown } {
  const e = (body as ErrorBodyLike | null)?.error;
  return {
    code: typeof e?.code === 'string' ? e.code : '',
    message: typeof e?.message === 'string' ? oneLine(e.message) : fallback,
    details: e?.details,
  };
}

/** Turn an error answer into the one line the user sees. */
export function responseError(service: ServiceName, statusCode: number, body: unknown): CliError {
  const { message, details } = serverMessage(body, `${service} answered HTTP ${statusCode}`);
  if (statusCode === 401) return failure(SESSION_EXPIRED);
  if (statusCode === 403) return failure(`not allowed: ${message}`);
  if (statusCode === 429) {
    const retry = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    return failure(
      `too many attempts: ${message}${typeof retry === 'number' ? ` (try again in ${Math.ceil(retry)} s)` : ''}`,
    );
  }
  if (statusCode === 503) return failure(`${service} is unavailable: ${message}`);
  if (statusCode >= 500) return failure(`${service} failed: ${message}`);
  return failure(message);
}

/** Unreachable locally means the product is not started; remotely, name the URL. */
export function transportError(err: unknown, target: string): CliError | null {
  if (err instanceof NotHereError || err instanceof NoSupervisorError) return failure(err.message);
  if (!(err instanceof UnreachableError)) return null;
  if (err.timedOut) return failure(`${err.service} did not answer in time (${err.detail})`);
  if (target === 'local') return failure(`${NOT_RUNNING} (${err.service} did not answer)`);
  return failure(`cannot reach ${target}: ${err.detail.replace(`${target}: `, '')}`);
}
