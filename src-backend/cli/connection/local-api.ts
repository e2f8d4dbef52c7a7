import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import { Pool } from 'undici';
import type { ServiceName } from '../../contracts/services.js';
import type { Transport } from '../../contracts/health.js';
import type { ProcessOp, SupervisorStatus } from '../../contracts/supervisor.js';
import { socketPathFor, type RuntimeConfig } from '../../shared/config.js';
import { failure } from '../cli-error.js';
import { unsafeAncestor } from '../../shared/folder-ancestry.js';
import { ServiceCallError, ServiceClient } from '../../shared/service-client.js';
import {
  HEALTH_TIMEOUT_MS,
  NoSupervisorError,
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
import { healthRoute } from '../../contracts/routes/shared.js';
import { SupervisorRoutes } from '../../contracts/routes/supervisor.js';
import { gatewayPathOf } from '../../contracts/route.js';

/**
 * This machine: each service over its Unix socket through the shared ServiceClient (HTTP on
 * its port when the socket is missing), and the supervisor through the gateway's socket.
 * The CLI acts with the signed-in admin's token only, never the internal token.
 */
export class LocalApi implements Api {
  readonly target = 'local';
  private readonly client: ServiceClient;
  private gatewayPool: GatewayPool | null = null;

  constructor(private readonly config: RuntimeConfig) {
    if (config.useSockets) checkSocketDir(config.socketDir);
    this.client = new ServiceClient({ config, timeoutMs: REQUEST_TIMEOUT_MS, connections: 8 });
  }

  async request<T>(
    method: HttpMethod,
    service: ServiceName,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    try {
      return await this.client.request<T>(method, service, path, body, {
        internal: false,
        token: opts.token,
        timeoutMs: opts.timeoutMs,
      });
    } catch (err) {
      throw toUnreachable(service, err);
    }
  }

  async health(service: ServiceName): Promise<HealthProbe> {
    try {
      const probe = () => this.client.callRaw(healthRoute(service), { internal: false, timeoutMs: HEALTH_TIMEOUT_MS });
      // The first call also pays for connecting; the second, on the kept-alive connection, is
      // the service's own health latency (what the supervisor reports too).
      const first = await probe();
      const started = performance.now();
      const res = first.statusCode === 200 ? await probe() : first;
      const latencyMs = performance.now() - started;
      const ok = res.statusCode === 200;
      return { service, ok, latencyMs, transport: res.transport, problem: ok ? null : `HTTP ${res.statusCode}` };
    } catch (err) {
      const e = toUnreachable(service, err);
      return { service, ok: false, latencyMs: null, transport: null, problem: e.timedOut ? 'timeout' : 'unreachable' };
    }
  }

  async supervisorStatus(token: string | undefined): Promise<SupervisorAnswer> {
    if (!token) return { kind: 'unavailable', reason: 'unauthorized' };
    let res: ApiResponse<unknown>;
    try {
      res = await this.gatewayRequest('GET', gatewayPathOf(SupervisorRoutes.status), token, HEALTH_TIMEOUT_MS);
    } catch {
      return { kind: 'unavailable', reason: 'no-gateway' };
    }
    if (res.statusCode === 401 || res.statusCode === 403) return { kind: 'unavailable', reason: 'unauthorized' };
    if (res.statusCode !== 200 || typeof res.body !== 'object' || res.body === null)
      return { kind: 'unavailable', reason: 'error' };
    return { kind: 'status', status: res.body as SupervisorStatus };
  }

  async supervisorOp(token: string, name: ServiceName, op: ProcessOp): Promise<ApiResponse<unknown>> {
    try {
      return await this.gatewayRequest(
        'POST',
        gatewayPathOf(SupervisorRoutes.processOp, { service: name, op }),
        token,
        PROCESS_OP_TIMEOUT_MS,
      );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
      throw new NoSupervisorError(
        `no supervisor reachable: start the services with npm run server (no gateway answers at ${this.gateway().where}: ${code})`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.client.close(), this.gatewayPool?.pool.close()]);
  }

  private async gatewayRequest(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    timeoutMs: number,
  ): Promise<ApiResponse<unknown>> {
    const { pool, transport } = this.gateway();
    const res = await pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${token}` },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the error line
    }
    return { statusCode: res.statusCode, body, transport };
  }

  /** The gateway listens on `$SOCKET_DIR/gateway.sock` too; its TCP port is the fallback. */
  private gateway(): GatewayPool {
    if (this.gatewayPool) return this.gatewayPool;
    const { config } = this;
    let socketPath: string | undefined;
    try {
      const p = socketPathFor('gateway', config.socketDir);
      if (config.useSockets && (process.platform === 'win32' || fs.existsSync(p))) socketPath = p;
    } catch {
      socketPath = undefined;
    }
    const tcp = `127.0.0.1:${config.gatewayPort}`;
    this.gatewayPool = socketPath
      ? { pool: new Pool('http://localhost', { socketPath, connections: 1 }), where: socketPath, transport: 'unix' }
      : { pool: new Pool(`http://${tcp}`, { connections: 1 }), where: tcp, transport: 'http' };
    return this.gatewayPool;
  }
}

interface GatewayPool {
  readonly pool: Pool;
  /** for error lines: the socket path or host:port */
  readonly where: string;
  readonly transport: Transport;
}

/**
 * The admin's password and token go into these sockets, so the folder must be ours and private,
 * as the services require when they create it. A missing folder just means nothing runs.
 */
export function checkSocketDir(dir: string): void {
  if (process.platform === 'win32') return;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return;
  }
  const swappable = unsafeAncestor('SOCKET_DIR', dir);
  if (swappable) throw failure(`${swappable}; refusing to send credentials there`);
  const uid = process.getuid?.();
  if (st.isSymbolicLink() || !st.isDirectory())
    throw failure(`SOCKET_DIR ${dir} is not a plain folder (symlink?); refusing to send credentials there`);
  if (uid !== undefined && st.uid !== uid)
    throw failure(`SOCKET_DIR ${dir} belongs to uid ${st.uid}, not to you; refusing to send credentials there`);
  if ((st.mode & 0o077) !== 0) {
    throw failure(
      `SOCKET_DIR ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); refusing to send credentials there: run chmod 700 on it`,
    );
  }
}

function toUnreachable(service: ServiceName, err: unknown): UnreachableError {
  if (err instanceof ServiceCallError) {
    const detail = /\(([^)]+)\)\s*$/.exec(err.message)?.[1] ?? err.code;
    return new UnreachableError(service, detail, err.statusCode === 504);
  }
  return new UnreachableError(service, (err as Error).message ?? String(err));
}
