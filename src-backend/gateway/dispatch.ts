import { Value } from 'typebox/value';
import type { Static, TSchema } from 'typebox';
import { matchRoute } from '../contracts/route.js';
import { AuthRoutes } from '../contracts/routes/auth.js';
import { DataIdentityRoutes } from '../contracts/routes/data-identity.js';
import { SupervisorRoutes } from '../contracts/routes/supervisor.js';
import { ConsoleRequest, type ConsoleResponse } from '../contracts/console-api.js';
import { ErrorCode } from '../contracts/errors.js';
import { SessionForgetRequest } from '../contracts/session.js';
import { AppError } from '../shared/app-error.js';
import { toErrorBody } from '../shared/error-handler.js';
import { MAX_JSON_DEPTH, jsonTooDeep, nestedDeeperThan } from '../shared/json-depth.js';
import { RawJsonBody, type ServiceClient } from '../shared/service-client.js';
import type { SessionResolver } from '../shared/session-auth.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { AdminGuard } from './admin-guard.js';

export interface DispatcherDeps {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
  /** absent when the services run elsewhere (multi-host) */
  readonly supervisor?: Supervisor;
}

/**
 * The console's one entry point, shared by the server-mode gateway (HTTP) and the Electron
 * main process (IPC): validate, then proxy to a service with the caller's rights only, or
 * run a supervisor operation for an admin.
 */
export class ConsoleDispatcher {
  private readonly admins: AdminGuard;

  constructor(private readonly deps: DispatcherDeps) {
    this.admins = new AdminGuard(deps.resolver);
    // auth_node tells its supervisor when sessions end, as it tells student and teacher over
    // HTTP: a disabled admin is refused here at once, and gets no grace while auth_node is down.
    deps.supervisor?.onSessionForget((f) => this.forgetSessions(f));
  }

  private forgetSessions(forget: unknown): void {
    if (!Value.Check(SessionForgetRequest, forget)) return;
    if ('token' in forget) {
      this.deps.resolver.forget(forget.token);
      this.admins.forget(forget.token);
    } else {
      this.deps.resolver.forgetUser(forget.userId);
      this.admins.forgetUser(forget.userId);
    }
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
      // An object from the desktop's IPC is serialised here, and that recurses: refuse deep
      // nesting as the services do. (The gateway passes the bytes it got, for the target to judge.)
      if (!(req.body instanceof RawJsonBody) && nestedDeeperThan(req.body, MAX_JSON_DEPTH)) throw jsonTooDeep();
      if (req.target === 'supervisor') return await this.supervisor(req);
      const res = await this.deps.client.request(req.method, req.target, req.path, req.body, {
        internal: false, // the console acts with the signed-in user's rights, never the internal token
        token: req.token,
        headers: forwardedHeaders(req, clientAddress),
        timeoutMs: 30_000,
      });
      // A console sign-out passes through here: its token must stop working here at once too,
      // not when the session cache would have let it go.
      if (req.target === 'auth_node' && req.path === AuthRoutes.logout.url && req.token && res.statusCode < 300) {
        this.deps.resolver.forget(req.token);
        this.admins.forget(req.token);
      }
      return { status: res.statusCode, body: res.body };
    } catch (err) {
      const { status, body } = toErrorBody(err);
      return { status, body };
    }
  }

  /** The admin check of the supervisor routes, for the gateway's API docs. */
  requireAdmin(token: string | undefined): Promise<unknown> {
    return this.admins.require(token);
  }

  private async supervisor(req: ConsoleRequest): Promise<ConsoleResponse> {
    const sup = this.deps.supervisor;
    if (!sup) throw new AppError(404, ErrorCode.NOT_FOUND, 'no supervisor here: services run elsewhere');
    const admin = await this.admins.require(req.token);
    const url = new URL(req.path, 'http://console.invalid');
    const found = matchRoute(SUPERVISOR_ROUTES, req.method, url.pathname);
    if (!found) throw new AppError(404, ErrorCode.ROUTE_NOT_FOUND, `no supervisor route ${req.method} ${url.pathname}`);
    const { route, params } = found;
    if (route === SupervisorRoutes.status) return { status: 200, body: sup.status() };
    if (route === SupervisorRoutes.logs) {
      const query = checked(route.schema.querystring, Object.fromEntries(url.searchParams), 'query');
      const lines = sup.recentLogs(query.limit ?? 500, { service: query.service, level: query.level });
      return { status: 200, body: { lines } };
    }
    const { service, op } = checked(SupervisorRoutes.processOp.schema.params, params, 'path');
    if (!sup.has(service)) throw new AppError(404, ErrorCode.NOT_FOUND, `${service} is not supervised here`);
    const fields = { actor: admin.username, actorId: admin.id, action: `process_${op}`, target: service };
    // Written before the operation: stopping data_node would leave nobody to write it after.
    await this.audit(fields);
    try {
      await sup[op](service);
    } catch (err) {
      sup.note('warn', `process ${op} failed`, { ...fields, error: (err as Error).message });
      throw new AppError(409, 'PROCESS_FAILED', (err as Error).message);
    }
    sup.note('info', `process ${op}`, fields);
    return { status: 200, body: sup.status().processes.find((p) => p.name === service) };
  }

  /** Best effort: with data_node down the operation still runs, and the log line still says who. */
  private async audit(e: { actor: string; actorId: number; action: string; target: string }): Promise<void> {
    try {
      await this.deps.client.call(DataIdentityRoutes.appendAudit, {
        body: { actorId: e.actorId, actor: e.actor, action: e.action, target: e.target },
      });
    } catch (err) {
      this.deps.supervisor?.note('warn', 'audit entry not written', { ...e, error: (err as Error).message });
    }
  }
}

const SUPERVISOR_ROUTES = Object.values(SupervisorRoutes);

/** Strings from a URL, converted and checked against the route's schema: 400 when they do not fit. */
function checked<S extends TSchema>(schema: S, raw: Record<string, string>, where: string): Static<S> {
  const value = Value.Convert(schema, { ...raw });
  if (!Value.Check(schema, value)) {
    const first = Value.Errors(schema, value)[0];
    throw new AppError(
      400,
      ErrorCode.VALIDATION_FAILED,
      `bad ${where}: ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim(),
    );
  }
  return value as Static<S>;
}

/** What a console request carries on to the service besides the token: the caller's address and its idempotency key. */
function forwardedHeaders(req: ConsoleRequest, clientAddress: string | undefined): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (clientAddress) headers['x-forwarded-for'] = clientAddress;
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
  return Object.keys(headers).length > 0 ? headers : undefined;
}
