import type { ErrorBody } from '../../contracts/errors.js';
import type { ServiceName } from '../../contracts/services.js';
import type { ProcessOp, SupervisorStatus } from '../../contracts/supervisor.js';
import type { Transport } from '../../contracts/health.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiResponse<T = unknown> {
  readonly statusCode: number;
  readonly body: T;
  readonly transport: Transport;
}

export interface HealthProbe {
  readonly service: ServiceName;
  readonly ok: boolean;
  readonly latencyMs: number | null;
  readonly transport: Transport | null;
  /** why it is not ok: 'unreachable', 'timeout' or the HTTP status */
  readonly problem: string | null;
}

/** Where the supervisor status came from, or why there is none. */
export type SupervisorAnswer =
  | { readonly kind: 'status'; readonly status: SupervisorStatus }
  | { readonly kind: 'unavailable'; readonly reason: 'no-gateway' | 'unauthorized' | 'error' };

/**
 * How the CLI reaches the product: the local Unix sockets, or one HTTP base URL (the gateway's
 * `/api/<service>/…` proxy, or a single service). Commands only see this interface.
 */
export interface Api {
  /** 'local' or the base URL; sessions remember it so a token is only sent where it came from */
  readonly target: string;
  /** Send one request with the user's token (never the internal token). Unreachable → UnreachableError. */
  request<T = unknown>(
    method: HttpMethod,
    service: ServiceName,
    path: string,
    body?: unknown,
    opts?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  health(service: ServiceName): Promise<HealthProbe>;
  supervisorStatus(token: string | undefined): Promise<SupervisorAnswer>;
  /** POST /api/supervisor/<name>/<op> on the gateway. Nothing answering → NoSupervisorError. */
  supervisorOp(token: string, name: ServiceName, op: ProcessOp): Promise<ApiResponse<unknown>>;
  close(): Promise<void>;
}

export interface RequestOptions {
  /** the signed-in user's bearer token */
  readonly token?: string;
  readonly timeoutMs?: number;
}

/** Nothing answered at all (as opposed to an error answer). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(
    readonly service: ServiceName,
    readonly detail: string,
    readonly timedOut = false,
  ) {
    super(`${service} ${timedOut ? 'did not answer in time' : 'is unreachable'} (${detail})`);
  }
}

/** No gateway (so no supervisor) answers: the services are not run by `npm run server` here. */
export class NoSupervisorError extends Error {
  override name = 'NoSupervisorError';
}

/** A supervisor operation waits for the process to stop, or to be ready and healthy. */
export const PROCESS_OP_TIMEOUT_MS = 60_000;

/** HealthProbe.problem when --url is a single service and this is another one */
export const NOT_BEHIND_URL = 'not behind this URL';

/** Every request a command makes waits at most this long; a bulk import chunk gets longer. */
export const REQUEST_TIMEOUT_MS = 30_000;
export const HEALTH_TIMEOUT_MS = 2_000;

/** --url points at one service and the command needs another. */
export class NotHereError extends Error {
  override name = 'NotHereError';
  constructor(
    readonly wanted: ServiceName,
    readonly present: ServiceName,
    readonly url: string,
  ) {
    super(
      `${url} is ${present} only; this command needs ${wanted}: point --url at the gateway (port 8000) or at ${wanted}`,
    );
  }
}

/** A 2xx answer: its body is the route's success shape, not an error body. */
export function succeeded<T>(res: ApiResponse<T>): res is ApiResponse<Exclude<T, ErrorBody>> {
  return res.statusCode >= 200 && res.statusCode < 300;
}
