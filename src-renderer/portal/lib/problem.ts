import { ApiError } from '../../src/api/api-error';

/**
 * What went wrong, in words a student or teacher understands, and what they can do about it:
 * wait (429, with the time), retry (network down, 503), or read the server's reason.
 */
export interface Problem {
  readonly kind: 'offline' | 'busy' | 'rate-limited' | 'session' | 'refused';
  readonly message: string;
  /** 429: seconds to wait before trying again */
  readonly retryAfterSeconds: number | null;
  /** worth trying the same thing again (the request may not have been answered) */
  readonly retryable: boolean;
}

export function describeProblem(err: unknown): Problem {
  if (!(err instanceof ApiError)) {
    return {
      kind: 'refused',
      message: err instanceof Error ? err.message : String(err),
      retryAfterSeconds: null,
      retryable: false,
    };
  }
  if (err.isNetwork) {
    return {
      kind: 'offline',
      message:
        err.message === 'the request timed out'
          ? 'The server did not answer in time. Your connection may be slow or down.'
          : 'Cannot reach the server. Check your internet connection, then try again.',
      retryAfterSeconds: null,
      retryable: true,
    };
  }
  if (err.status === 401) {
    return {
      kind: 'session',
      message: 'Your session has ended. Sign in again.',
      retryAfterSeconds: null,
      retryable: false,
    };
  }
  if (err.status === 429) {
    const details = err.details as { retryAfterSeconds?: unknown } | undefined;
    const wait = typeof details?.retryAfterSeconds === 'number' ? Math.max(1, Math.ceil(details.retryAfterSeconds)) : 5;
    return {
      kind: 'rate-limited',
      message: `Too many attempts. Please wait ${wait} s before trying again.`,
      retryAfterSeconds: wait,
      retryable: true,
    };
  }
  if (err.status === 503 || err.status === 502 || err.status === 504) {
    return {
      kind: 'busy',
      message: 'The service is busy or restarting. Nothing was lost: try again in a moment.',
      retryAfterSeconds: null,
      retryable: true,
    };
  }
  return { kind: 'refused', message: sentence(err.message), retryAfterSeconds: null, retryable: false };
}

/** Server messages are lower-case fragments ("username alice is taken"); show them as a sentence. */
function sentence(s: string): string {
  const t = s.trim();
  if (!t) return 'Something went wrong.';
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
