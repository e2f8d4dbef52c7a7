import fs from 'node:fs';
import { Pool, undiciErrors } from './undici-pool.js';
import { ErrorCode, type ErrorBody } from '../contracts/errors.js';
import { INTERNAL_TOKEN_HEADER, SERVICE_NAMES, type ServiceName } from '../contracts/services.js';
import type { Transport } from '../contracts/health.js';
import {
  pathOf,
  type HttpMethod,
  type InputArgs,
  type Route,
  type RouteInput,
  type RouteSchema,
  type SuccessBody,
} from '../contracts/route.js';
import { socketPathFor, type RuntimeConfig } from './config.js';
import { DispatchTimeoutError, dispatchJson } from './http-dispatch.js';

/** A downstream service answered with a non-2xx, or could not be reached at all. */
export class ServiceCallError extends Error {
  override name = 'ServiceCallError';
  constructor(
    readonly service: ServiceName,
    /** the downstream status; 503 when unreachable, 504 on timeout */
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /**
     * The service that really failed: `service` itself, or, when `service` answered a 5xx that
     * names another one (auth_node relaying a dead data_node), that one.
     */
    readonly failedService: ServiceName = service,
    /** `service` answered with this error itself (not unreachable, not timed out) */
    readonly answered = false,
  ) {
    super(message);
  }

  /** From a downstream's error answer `{error: {code, message, details?: {service}}}`. */
  static fromAnswer(service: ServiceName, statusCode: number, body: unknown): ServiceCallError {
    const err = (body as { error?: { code?: string; message?: string; details?: { service?: unknown } } } | null)
      ?.error;
    const named = err?.details?.service;
    const failed = statusCode >= 500 && isServiceName(named) ? named : service;
    return new ServiceCallError(
      service,
      statusCode,
      err?.code ?? `HTTP_${statusCode}`,
      err?.message ?? `${service} answered ${statusCode}`,
      failed,
      true,
    );
  }
}

function isServiceName(v: unknown): v is ServiceName {
  return typeof v === 'string' && (SERVICE_NAMES as readonly string[]).includes(v);
}

/**
 * A JSON body passed on as the bytes it arrived in: the gateway forwards what a browser sent
 * without parsing and re-serialising it (which held its event loop for a large body, and failed
 * on deep nesting); the target parses and validates it.
 */
export class RawJsonBody {
  constructor(readonly bytes: Buffer) {}
}

export interface CallOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** forward a user's bearer token instead of (or as well as) the internal token */
  readonly token?: string;
  /** leave out the internal token (the gateway proxies user calls with the user's rights only) */
  readonly internal?: boolean;
}

/** What `call` takes for a route: its params, query and body, and the call's own options. */
export type CallInput<R extends Route> = RouteInput<R> & CallOptions;

export interface RawResponse<T = unknown> {
  readonly statusCode: number;
  readonly body: T;
  readonly transport: Transport;
}

export interface ServiceClientOptions {
  readonly config: RuntimeConfig;
  readonly timeoutMs?: number;
  /** keep-alive connections per service and transport */
  readonly connections?: number;
  /** GETs in flight at once on one connection (HTTP/1.1 pipelining); 1 turns it off */
  readonly pipelining?: number;
  /** where a refused socket is reported (once per service); default: a process warning */
  readonly warn?: (message: string) => void;
}

const SOCKET_RETRY_MS = 1000;
/**
 * GETs sent on one connection before the first answer is back. Fewer, fuller connections mean
 * fewer system calls per request on both sides: on this kind of 2-core VM that was 1.5–2× the
 * throughput of one request per connection (bench:transport). Writes are never pipelined.
 */
const DEFAULT_PIPELINING = 4;

/**
 * The one way services call each other. Unix socket with keep-alive first; HTTP when the
 * socket is missing or refuses; `<NAME>_URL` when the deployment spans hosts.
 */
export class ServiceClient {
  private readonly pools = new Map<string, Pool>();
  /** until when a service's socket is skipped after it failed */
  private readonly socketDownUntil = new Map<ServiceName, number>();
  private readonly socketPaths = new Map<ServiceName, string>();
  private readonly socketSeen = new Map<ServiceName, { present: boolean; until: number }>();
  /** services whose socket was refused and reported: one warning, not one per second */
  private readonly socketWarned = new Set<ServiceName>();
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly opts: ServiceClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /**
   * Call a route of another service's table: the URL comes from the route (its `:params` filled
   * from `params`, `query` appended), the answer's type from its 2xx schemas. A non-2xx answer
   * throws a ServiceCallError.
   */
  async call<R extends Route<RouteSchema, ServiceName>>(
    route: R,
    ...[input]: InputArgs<R, CallOptions>
  ): Promise<SuccessBody<R>> {
    const res = await this.callRaw(route, input as CallInput<R>);
    if (res.statusCode >= 200 && res.statusCode < 300) return res.body as SuccessBody<R>;
    throw ServiceCallError.fromAnswer(route.service, res.statusCode, res.body);
  }

  /** Like call, but a non-2xx answer is returned, not thrown (a 409's per-row details survive). */
  callRaw<R extends Route<RouteSchema, ServiceName>>(
    route: R,
    ...[input]: InputArgs<R, CallOptions>
  ): Promise<RawResponse<SuccessBody<R> | ErrorBody>> {
    const { params, query, body, ...opts } = (input ?? {}) as {
      params?: object;
      query?: object;
      body?: unknown;
    } & CallOptions;
    const payload = body ?? (route.method === 'POST' || route.method === 'PUT' ? {} : undefined);
    return this.request(route.method, route.service, pathOf(route, params, query), payload, opts);
  }

  /**
   * The raw call, for proxies (the gateway passes a console request on as it came): a non-2xx
   * answer is returned, not thrown.
   */
  async request<T = unknown>(
    method: HttpMethod,
    service: ServiceName,
    path: string,
    body?: unknown,
    opts: CallOptions = {},
  ): Promise<RawResponse<T>> {
    if (this.closed) throw new ServiceCallError(service, 503, ErrorCode.SERVICE_UNAVAILABLE, 'client closed');
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.internal !== false && this.opts.config.internalToken) {
      headers[INTERNAL_TOKEN_HEADER] = this.opts.config.internalToken;
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const payload = body === undefined ? undefined : body instanceof RawJsonBody ? body.bytes : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';

    const route = this.route(service);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    try {
      return await this.send<T>(route.pool, route.transport, method, path, headers, payload, timeoutMs);
    } catch (err) {
      if (route.transport === 'unix' && isConnectFailure(err, method)) {
        // Socket gone or refusing: remember for a moment and go over TCP instead.
        this.socketDownUntil.set(service, Date.now() + SOCKET_RETRY_MS);
        this.socketSeen.delete(service);
        const http = this.httpPool(service);
        try {
          return await this.send<T>(http, 'http', method, path, headers, payload, timeoutMs);
        } catch (httpErr) {
          throw this.wrap(service, httpErr, timeoutMs);
        }
      }
      throw this.wrap(service, err, timeoutMs);
    }
  }

  /**
   * Forget what we knew of `service`'s socket: the supervisor calls this when a process says it
   * is ready (its socket was just made), so calls do not stay on TCP for the rest of the second
   * a lookup from before the start is remembered.
   */
  refresh(service: ServiceName): void {
    this.socketSeen.delete(service);
    this.socketDownUntil.delete(service);
  }

  /** Which transport the next call to `service` would use. */
  transportFor(service: ServiceName): Transport {
    return this.route(service).transport;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }

  private async send<T>(
    pool: Pool,
    transport: Transport,
    method: HttpMethod,
    path: string,
    headers: Record<string, string>,
    payload: string | Buffer | undefined,
    timeoutMs: number,
  ): Promise<RawResponse<T>> {
    const res = await dispatchJson<T>(pool, { method, path, headers, body: payload }, timeoutMs);
    return { statusCode: res.statusCode, body: res.body, transport };
  }

  private route(service: ServiceName): { pool: Pool; transport: Transport } {
    const { config } = this.opts;
    if (config.urls[service] || !config.useSockets) return { pool: this.httpPool(service), transport: 'http' };
    const downUntil = this.socketDownUntil.get(service) ?? 0;
    if (downUntil > Date.now()) return { pool: this.httpPool(service), transport: 'http' };
    if (!this.socketPresent(service)) return { pool: this.httpPool(service), transport: 'http' };
    return { pool: this.pool(`unix:${service}`, 'http://localhost', this.socketPath(service)), transport: 'unix' };
  }

  private socketPath(service: ServiceName): string {
    let p = this.socketPaths.get(service);
    if (p === undefined) {
      p = socketPathFor(service, this.opts.config.socketDir);
      this.socketPaths.set(service, p);
    }
    return p;
  }

  /**
   * Whether the socket is there and is ours, looked up at most once a second: not a stat per
   * call. The internal token goes into it, so a symlink, another kind of file or a socket of
   * another user is refused (with one warning) and the call goes over HTTP instead.
   */
  private socketPresent(service: ServiceName): boolean {
    if (process.platform === 'win32') return true;
    const now = Date.now();
    const seen = this.socketSeen.get(service);
    if (seen && seen.until > now) return seen.present;
    const file = this.socketPath(service);
    const refusal = socketRefusal(file);
    const present = refusal === null;
    if (refusal && refusal !== 'missing' && !this.socketWarned.has(service)) {
      this.socketWarned.add(service);
      const warn = this.opts.warn ?? ((message: string) => process.emitWarning(message));
      warn(`${file} ${refusal}: not sending the internal token there; calling ${service} over HTTP`);
    }
    if (present) this.socketWarned.delete(service);
    this.socketSeen.set(service, { present, until: now + SOCKET_RETRY_MS });
    return present;
  }

  private httpPool(service: ServiceName): Pool {
    const { config } = this.opts;
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host;
    const origin =
      config.urls[service] ??
      `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.ports[service]}`;
    return this.pool(`http:${service}`, origin);
  }

  private pool(key: string, origin: string, socketPath?: string): Pool {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.opts.connections ?? 32,
        pipelining: this.opts.pipelining ?? DEFAULT_PIPELINING,
        keepAliveTimeout: 60_000,
        ...(socketPath ? { socketPath } : {}),
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  private wrap(service: ServiceName, err: unknown, timeoutMs: number): ServiceCallError {
    if (err instanceof ServiceCallError) return err;
    if (
      err instanceof DispatchTimeoutError ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError
    ) {
      return new ServiceCallError(
        service,
        504,
        ErrorCode.SERVICE_TIMEOUT,
        `${service} did not answer within ${timeoutMs} ms`,
      );
    }
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    return new ServiceCallError(service, 503, ErrorCode.SERVICE_UNAVAILABLE, `${service} is unreachable (${code})`);
  }
}

/** Why the socket file must not be used: 'missing', what is wrong with it, or null when it is ours. */
function socketRefusal(file: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return 'missing';
  }
  if (st.isSymbolicLink()) return 'is a symlink';
  if (!st.isSocket()) return 'is not a socket';
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `is owned by uid ${st.uid}, not by this user (uid ${uid})`;
  return null;
}

/**
 * Whether to try the call again over TCP. A missing or refusing socket means the request never
 * left; a connection broken mid-request may have delivered it, so only a GET is sent twice.
 */
function isConnectFailure(err: unknown, method: HttpMethod): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') return true;
  return method === 'GET' && (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET');
}
