/** A failed console call, carrying the server's `{error:{code,message}}` when there was one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

interface ErrorShape {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Turn any non-2xx body into an ApiError without trusting its shape. */
export function toApiError(status: number, body: unknown): ApiError {
  const err = (body as ErrorShape | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : `HTTP_${status}`;
  const message = typeof err?.message === 'string' ? err.message : defaultMessage(status);
  return new ApiError(status, code, message, err?.details);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'your session has ended: sign in again';
  if (status === 403) return 'you are not allowed to do that';
  if (status === 404) return 'not found';
  if (status === 429) return 'too many attempts: wait a moment and try again';
  if (status >= 500) return 'the server had a problem: try again shortly';
  return `request failed (${status})`;
}

/** A message fit for a toast or an inline error, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
