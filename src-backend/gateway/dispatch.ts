import { Value } from 'typebox/value';
import { AuthPaths } from '../contracts/auth.js';
import { ConsoleRequest, type ConsoleResponse } from '../contracts/console-api.js';
import { ErrorCode } from '../contracts/errors.js';
import { isServiceName, type ServiceName } from '../contracts/services.js';
import { LOG_LEVELS, type LogLevel } from '../contracts/supervisor.js';
import { AppError } from '../shared/app-error.js';
import { toErrorBody } from '../shared/error-handler.js';
import type { ServiceClient } from '../shared/service-client.js';
import type { SessionResolver } from '../shared/session-auth.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { AdminGuard } from './admin-guard.js';

export interface DispatcherDeps {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  /** absent when the services run elsewhere (multi-host) */
  readonly supervisor?: Supervisor;
}

const OP_PATH = /^\/(data_node|auth_node|teacher_node|student_node|queue_node|realtime)\/(start|stop|restart)$/;

/**
 * The console's one entry point, shared by the server-mode gateway (HTTP) and the Electron
 * main process (IPC): validate, then proxy to a service with the caller's rights only, or
 * run a supervisor operation for an admin.
 */
export class ConsoleDispatcher {
  private readonly admins: AdminGuard;

  constructor(private readonly deps: DispatcherDeps) {
    this.admins = new AdminGuard(deps.resolver);
  }

  /**
   * @param clientAddress the caller's own address (the gateway's peer), passed on as
   * x-forwarded-for so auth_node can throttle sign-ins per address. IPC calls have none.
   */
  async dispatch(raw: unknown, clientAddress?: string): Promise<ConsoleResponse> {
    try {
      if (!Value.Check(ConsoleRequest, raw)) {
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, 'malformed console request');
      }
      const req = raw as ConsoleRequest;
      if (req.target === 'supervisor') return await this.supervisor(req);
      const res = await this.deps.client.request(req.method, req.target, req.path, req.body, {
        internal: false, // the console acts with the signed-in user's rights, never the internal token
        token: req.token,
        headers: forwardedHeaders(req, clientAddress),
        timeoutMs: 30_000,
      });
      // A console sign-out passes through here: its token must stop working here at once too,
      // not when the session cache would have let it go.
      if (req.target === 'auth_node' && req.path === AuthPaths.logout && req.token && res.statusCode < 300) {
        this.deps.resolver.forget(req.token);
        this.admins.forget(req.token);
      }
      return { status: res.statusCode, body: res.body };
    } catch (err) {
      const { status, body } = toErrorBody(err);
      return { status, body };
    }
  }

  private async supervisor(req: ConsoleRequest): Promise<ConsoleResponse> {
    const sup = this.deps.supervisor;
    if (!sup) throw new AppError(404, ErrorCode.NOT_FOUND, 'no supervisor here: services run elsewhere');
    await this.admins.require(req.token);
    const url = new URL(req.path, 'http://console.invalid');
    if (req.method === 'GET' && url.pathname === '/status') return { status: 200, body: sup.status() };
    if (req.method === 'GET' && url.pathname === '/logs') {
      const limit = Math.min(5000, Math.max(1, Number(url.searchParams.get('limit') ?? 500) || 500));
      const service = url.searchParams.get('service') ?? undefined;
      const level = url.searchParams.get('level') ?? undefined;
      if (service && !isServiceName(service))
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, `unknown service ${service}`);
      if (level && !LOG_LEVELS.includes(level as LogLevel))
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, `unknown level ${level}`);
      return { status: 200, body: { lines: sup.recentLogs(limit, { service, level }) } };
    }
    const m = OP_PATH.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const name = m[1] as ServiceName;
      const op = m[2] as 'start' | 'stop' | 'restart';
      if (!sup.has(name)) throw new AppError(404, ErrorCode.NOT_FOUND, `${name} is not supervised here`);
      try {
        await sup[op](name);
      } catch (err) {
        throw new AppError(409, 'PROCESS_FAILED', (err as Error).message);
      }
      return { status: 200, body: sup.status().processes.find((p) => p.name === name) };
    }
    throw new AppError(404, ErrorCode.ROUTE_NOT_FOUND, `no supervisor route ${req.method} ${url.pathname}`);
  }
}

/** What a console request carries on to the service besides the token: the caller's address and its idempotency key. */
function forwardedHeaders(req: ConsoleRequest, clientAddress: string | undefined): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (clientAddress) headers['x-forwarded-for'] = clientAddress;
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
  return Object.keys(headers).length > 0 ? headers : undefined;
}
