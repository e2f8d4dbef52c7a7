import { AuthErrorCode } from '@contracts/auth';
import type { ConsoleRequest, ConsoleTarget } from '@contracts/console-api';
import { ApiError, toApiError } from './api-error';
import type { Transport } from './transport';

type Method = ConsoleRequest['method'];

/** 401s that judge a password or code the caller sent, not the session that carried it */
const JUDGES_CREDENTIALS = new Set<string>([
  AuthErrorCode.INVALID_CREDENTIALS,
  AuthErrorCode.INVALID_TOTP,
  AuthErrorCode.TOTP_REPLAYED,
]);

export interface ApiClientOptions {
  /** called when a signed-in call comes back 401, so the session can end everywhere at once */
  readonly onUnauthorized?: () => void;
}

export interface RequestOptions {
  /** sent as `Idempotency-Key`: the same key on a retry gets the first answer back */
  readonly idempotencyKey?: string;
}

/**
 * The console's typed API client: adds the session token, unwraps 2xx bodies, and turns every
 * failure (HTTP or network) into an ApiError with a readable message.
 */
export class ApiClient {
  private token: string | null = null;

  constructor(
    readonly transport: Transport,
    private readonly opts: ApiClientOptions = {},
  ) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  get hasToken(): boolean {
    return this.token !== null;
  }

  async request<T>(
    method: Method,
    target: ConsoleTarget,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<T> {
    const req: ConsoleRequest = { method, target, path };
    if (body !== undefined) req.body = body;
    if (opts.idempotencyKey) req.idempotencyKey = opts.idempotencyKey;
    const sentWithToken = this.token;
    if (sentWithToken) req.token = sentWithToken;
    let res;
    try {
      res = await this.transport.send(req);
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError'
          ? 'the request timed out'
          : 'cannot reach the console backend';
      throw new ApiError(0, 'NETWORK', why);
    }
    if (res.status >= 200 && res.status < 300) return res.body as T;
    const err = toApiError(res.status, res.body);
    // Only a token we actually sent can have expired. A failed sign-in is just a wrong password,
    // and so is a wrong current password or code in a signed-in call (changing your password).
    if (res.status === 401 && sentWithToken && sentWithToken === this.token && !JUDGES_CREDENTIALS.has(err.code))
      this.opts.onUnauthorized?.();
    throw err;
  }

  get<T>(target: ConsoleTarget, path: string): Promise<T> {
    return this.request<T>('GET', target, path);
  }

  post<T>(target: ConsoleTarget, path: string, body: unknown = {}, opts?: RequestOptions): Promise<T> {
    return this.request<T>('POST', target, path, body, opts);
  }

  put<T>(target: ConsoleTarget, path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', target, path, body);
  }

  delete<T>(target: ConsoleTarget, path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', target, path, body);
  }
}

/** Build a path with a query string, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
