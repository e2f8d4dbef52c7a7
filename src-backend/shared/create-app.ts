import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BODY_LIMITS } from '../contracts/body-limits.js';
import { ErrorCode } from '../contracts/errors.js';
import type { HealthBody } from '../contracts/health.js';
import { healthRoute } from '../contracts/routes/shared.js';
import type { ServiceName } from '../contracts/services.js';
import { frameworkErrors, registerErrorHandling } from './error-handler.js';
import { registerJsonParser } from './json-depth.js';
import { isInternalCall } from './internal-auth.js';
import { registerRoute } from './register-route.js';
import { trackRoutes } from './route-registry.js';
import { compileSerializer, compileValidator } from './validators.js';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface BaseAppOptions {
  readonly service: ServiceName | 'gateway';
  /** a pino logger; tests leave it out and get a silent app */
  readonly logger?: FastifyBaseLogger;
  /** default: the service's entry in BODY_LIMITS, which the gateway enforces too */
  readonly bodyLimit?: number;
  /** the realtime server answers /health itself, in its own shape (RealtimeHealthBody) */
  readonly health?: boolean;
  /** what a caller of an `internal` table route must send (INTERNAL_TOKEN_HEADER) */
  readonly internalToken?: string;
  /** data_node: a request that matches no public route is refused without the token too */
  readonly internalByDefault?: boolean;
  /** why the service is degraded, or null: /health says so (data_node: storage not writable) */
  readonly degradedReason?: () => string | null;
  /** a service's own reading of an error before it is rendered (data_node: SQLite storage errors) */
  readonly mapError?: (err: unknown) => unknown;
  /** the gateway wraps the HTTP handler to proxy Socket.IO before Fastify sees the request */
  readonly serverFactory?: (handler: (req: IncomingMessage, res: ServerResponse) => void) => RawServerDefault;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** set by the service runner when shutdown starts: new requests get 503 while in-flight ones drain */
    draining: boolean;
  }
}

/** Fastify with our validator settings, error handler, draining gate and /health. Never listens. */
export function createBaseApp(opts: BaseAppOptions): App {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    bodyLimit: opts.bodyLimit ?? (opts.service === 'gateway' ? 1024 * 1024 : BODY_LIMITS[opts.service]),
    // Logs stream to the console live; a line per request would flood it.
    logController: new LogController({ disableRequestLogging: true }),
    // No pino child per request: with redaction on, that costs more than the route on the rush path.
    childLoggerFactory: (logger) => logger,
    // Our draining hook answers a coded SHUTTING_DOWN 503 for the whole shutdown; Fastify's own
    // would send an uncoded body while close() runs.
    return503OnClosing: false,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(compileValidator);
  trackRoutes(app);
  app.addHook('onRoute', (route) => {
    // An app built without the option is a wiring mistake: fail at start-up, not at the first call.
    // An empty token (INTERNAL_TOKEN unset, a service run on its own) is allowed: the gate then
    // refuses every caller of the internal routes, and the service can still say why it won't start.
    if (route.config?.access === 'internal' && opts.internalToken === undefined)
      throw new Error(`${opts.service}: internal route ${route.method} ${route.url} needs internalToken`);
  });
  app.setSerializerCompiler(compileSerializer);

  app.decorate('draining', false);
  // A callback hook, not an async one: it runs on every request, and a promise per request shows.
  // The internal gate sits here too: checked on the request line, before any body is parsed.
  const internalToken = opts.internalToken ?? '';
  app.addHook('onRequest', (request, reply, done) => {
    if (app.draining) {
      void reply.header('connection', 'close');
      void reply
        .code(503)
        .send({ error: { code: ErrorCode.SHUTTING_DOWN, message: `${opts.service} is shutting down` } });
      return;
    }
    const access = request.routeOptions.config.access;
    const gated = access === 'internal' || (access === undefined && opts.internalByDefault === true);
    if (!gated || isInternalCall(request, internalToken)) return done();
    void reply
      .code(401)
      .send({ error: { code: 'INTERNAL_ONLY', message: `internal route: ${opts.service} needs the internal token` } });
  });
  registerErrorHandling(app, opts.mapError);
  registerJsonParser(app);

  if (opts.health !== false && opts.service !== 'gateway') {
    registerRoute(app, healthRoute(opts.service), {}, async (request) => {
      // One literal of one shape, with `reason` added only when degraded: spreading a status
      // object in here doubled data_node's CPU per /health call (bench:transport).
      const body: HealthBody = {
        status: 'healthy',
        service: opts.service,
        pid: process.pid,
        uptime: Math.round(process.uptime() * 1000) / 1000,
        transport: request.socket.remoteAddress ? 'http' : 'unix',
      };
      const reason = opts.degradedReason?.() ?? null;
      if (reason !== null) {
        body.status = 'degraded';
        body.reason = reason;
      }
      return body;
    });
  }
  return app;
}
