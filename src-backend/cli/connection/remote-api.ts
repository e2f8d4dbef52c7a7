import { performance } from 'node:perf_hooks';
import { Agent, errors as undiciErrors, request } from 'undici';
import { isServiceName, type ServiceName } from '../../contracts/services.js';
import type { ProcessOp, SupervisorStatus } from '../../contracts/supervisor.js';
import {
  HEALTH_TIMEOUT_MS,
  NOT_BEHIND_URL,
  NoSupervisorError,
  NotHereError,
  PROCESS_OP_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  UnreachableError,
  type Api,
  type ApiResponse,
  type HealthProbe,
  type HttpMethod,
  type RequestOptions,
  type SupervisorAnswer,
} from './api.js';
import { HEALTH } from '../../contracts/routes/shared.js';
import { SupervisorRoutes } from '../../contracts/routes/supervisor.js';
import { gatewayPathOf } from '../../contracts/route.js';

/** What sits behind the URL: the gateway (all services under /api/<name>) or one service. */
type Shape = { kind: 'gateway' } | { kind: 'service'; service: ServiceName };

/**
 * One HTTP base URL. Its /health says what it is: the gateway answers `service: "gateway"`,
 * a course service answers its own name; then paths are mapped to match.
 */
export class RemoteApi implements Api {
  private shape: Promise<Shape> | null = null;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 8 });

  constructor(readonly target: string) {}

  async request<T>(
    method: HttpMethod,
    service: ServiceName,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const url = await this.urlFor(service, path);
    return this.send<T>(service, method, url, body, opts.token, opts.timeoutMs ?? REQUEST_TIMEOUT_MS);
  }

  async health(service: ServiceName): Promise<HealthProbe> {
    try {
      const url = await this.urlFor(service, HEALTH.url);
      // As locally: time the second call, once the connection is open.
      const first = await this.send(service, 'GET', url, undefined, undefined, HEALTH_TIMEOUT_MS);
      const started = performance.now();
      const res =
        first.statusCode === 200
          ? await this.send(service, 'GET', url, undefined, undefined, HEALTH_TIMEOUT_MS)
          : first;
      const ok = res.statusCode === 200;
      return {
        service,
        ok,
        latencyMs: performance.now() - started,
        transport: 'http',
        problem: ok ? null : `HTTP ${res.statusCode}`,
      };
    } catch (err) {
      const timedOut = err instanceof UnreachableError && err.timedOut;
      const elsewhere = err instanceof NotHereError;
      return {
        service,
        ok: false,
        latencyMs: null,
        transport: null,
        problem: elsewhere ? NOT_BEHIND_URL : timedOut ? 'timeout' : 'unreachable',
      };
    }
  }

  async supervisorStatus(token: string | undefined): Promise<SupervisorAnswer> {
    try {
      if ((await this.detect()).kind !== 'gateway') return { kind: 'unavailable', reason: 'no-gateway' };
    } catch {
      return { kind: 'unavailable', reason: 'no-gateway' };
    }
    if (!token) return { kind: 'unavailable', reason: 'unauthorized' };
    try {
      const res = await this.send<SupervisorStatus>(
        'auth_node',
        'GET',
        `${this.target}${gatewayPathOf(SupervisorRoutes.status)}`,
        undefined,
        token,
        HEALTH_TIMEOUT_MS,
      );
      if (res.statusCode === 401 || res.statusCode === 403) return { kind: 'unavailable', reason: 'unauthorized' };
      if (res.statusCode !== 200) return { kind: 'unavailable', reason: 'error' };
      return { kind: 'status', status: res.body };
    } catch {
      return { kind: 'unavailable', reason: 'no-gateway' };
    }
  }

  async supervisorOp(token: string, name: ServiceName, op: ProcessOp): Promise<ApiResponse<unknown>> {
    const shape = await this.detect(); // unreachable → UnreachableError, which names the URL
    if (shape.kind !== 'gateway') {
      throw new NoSupervisorError(
        `${this.target} is ${shape.service} only; process commands need the gateway: point --url at it (port 8000)`,
      );
    }
    const url = `${this.target}${gatewayPathOf(SupervisorRoutes.processOp, { service: name, op })}`;
    return this.send(name, 'POST', url, undefined, token, PROCESS_OP_TIMEOUT_MS);
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  private async urlFor(service: ServiceName, path: string): Promise<string> {
    const shape = await this.detect(service);
    if (shape.kind === 'gateway') return `${this.target}/api/${service}${path}`;
    if (shape.service === service) return `${this.target}${path}`;
    throw new NotHereError(service, shape.service, this.target);
  }

  private detect(service: ServiceName = 'auth_node'): Promise<Shape> {
    this.shape ??= (async (): Promise<Shape> => {
      const res = await this.send<{ service?: unknown }>(
        service,
        'GET',
        `${this.target}/health`,
        undefined,
        undefined,
        HEALTH_TIMEOUT_MS,
      );
      const name = res.statusCode === 200 ? res.body?.service : undefined;
      if (isServiceName(name)) return { kind: 'service', service: name };
      return { kind: 'gateway' };
    })();
    // A failed probe is not cached: the next call may find the server up.
    this.shape.catch(() => (this.shape = null));
    return this.shape;
  }

  private async send<T>(
    service: ServiceName,
    method: HttpMethod,
    url: string,
    body: unknown,
    token: string | undefined,
    timeoutMs: number,
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await request(url, {
        method,
        headers,
        body: payload,
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      let parsed: unknown = null;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { statusCode: res.statusCode, body: parsed as T, transport: 'http' };
    } catch (err) {
      const timedOut = err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError;
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
      throw new UnreachableError(service, `${this.target}: ${code}`, timedOut);
    }
  }
}
