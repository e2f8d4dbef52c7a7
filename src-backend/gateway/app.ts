import fs from 'node:fs';
import http from 'node:http';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { ConsoleTarget, type AppInfo, type ConsoleRequest, type ConsoleResponse } from '../contracts/console-api.js';
import { IDEMPOTENCY_KEY_HEADER } from '../contracts/courses.js';
import { ErrorCode } from '../contracts/errors.js';
import { Value } from 'typebox/value';
import { createBaseApp, type App } from '../shared/create-app.js';
import type { RuntimeConfig } from '../shared/config.js';
import { bearerToken } from '../shared/session-auth.js';
import type { ConsoleDispatcher } from './dispatch.js';
import { API_ROUTE, registerBodyLimits } from './body-limit.js';
import { RealtimeProxy } from './realtime-proxy.js';
import { resolveStatic, type StaticResult } from './static-files.js';
import { apiDocs, setDocsCookie } from './api-docs.js';
import { GatewayRoutes } from '../contracts/routes/gateway.js';
import { AuthRoutes } from '../contracts/routes/auth.js';
import { registerRoute } from '../shared/register-route.js';

export interface GatewayOptions {
  readonly config: RuntimeConfig;
  readonly dispatcher: ConsoleDispatcher;
  /** the built console (out/renderer); null serves the API only */
  readonly staticDir: string | null;
  readonly appInfo: AppInfo;
  readonly logger?: FastifyBaseLogger;
}

/** The console's CSP: nothing inline, nothing from elsewhere. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Server mode's front door: the built console, `/api/<service>/…`, and Socket.IO to realtime. */
export function buildGatewayApp(opts: GatewayOptions): App {
  // read at request time: the app below says when the gateway is draining
  const proxy = new RealtimeProxy(opts.config, () => app.draining);
  const app = createBaseApp({
    service: 'gateway',
    logger: opts.logger,
    bodyLimit: 16 * 1024 * 1024, // CSV imports travel through here
    health: false,
    serverFactory: (handler) => {
      const server = http.createServer((req, res) => (proxy.handles(req) ? proxy.web(req, res) : handler(req, res)));
      server.on('upgrade', (req, socket, head) => proxy.upgrade(req, socket, head));
      return server;
    },
  });
  registerBodyLimits(app);
  const rootReal = opts.staticDir && fs.existsSync(opts.staticDir) ? fs.realpathSync(opts.staticDir) : null;

  app.addHook('onSend', async (_request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
  });

  registerRoute(app, GatewayRoutes.health, {}, async () => ({
    status: 'healthy' as const,
    service: 'gateway' as const,
    pid: process.pid,
    uptime: process.uptime(),
  }));
  registerRoute(app, GatewayRoutes.config, {}, async () => opts.appInfo);
  void app.register(apiDocs, {
    version: opts.appInfo.version,
    requireAdmin: (token) => opts.dispatcher.requireAdmin(token),
  });

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: API_ROUTE,
    // the door to the documented service routes, not a route of its own
    schema: { hide: true },
    handler: async (request, reply) => {
      const { target } = request.params as { target: string };
      if (!Value.Check(ConsoleTarget, target)) {
        return reply
          .code(404)
          .send({ error: { code: ErrorCode.ROUTE_NOT_FOUND, message: `unknown API target ${target}` } });
      }
      const req: ConsoleRequest = {
        method: request.method as ConsoleRequest['method'],
        target,
        path: request.url.slice(`/api/${target}`.length) || '/',
        token: bearerToken(request) ?? undefined,
      };
      const idempotencyKey = request.headers[IDEMPOTENCY_KEY_HEADER];
      if (typeof idempotencyKey === 'string') req.idempotencyKey = idempotencyKey;
      if (request.body !== undefined && request.body !== null) req.body = request.body;
      // Only the socket's peer address is passed on; a client's own x-forwarded-for is not believed.
      const res = await opts.dispatcher.dispatch(req, request.socket.remoteAddress);
      const docsSession = docsCookieChange(req, res);
      if (docsSession !== undefined) setDocsCookie(reply, docsSession, request.protocol === 'https');
      // The target's Retry-After (429, storage 503) comes back in the error's details.
      const retry = (res.body as { error?: { details?: { retryAfterSeconds?: unknown } } } | null)?.error?.details
        ?.retryAfterSeconds;
      if (typeof retry === 'number') void reply.header('retry-after', String(Math.max(1, Math.ceil(retry))));
      return reply.code(res.status).send(res.body);
    },
  });

  // The student and teacher portal: one page for every /portal/… route (history-mode deep links).
  // Its assets are the build's shared /assets/ files, so nothing else lives under /portal/.
  app.get('/portal', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/portal/', 301));
  app.get('/portal/*', { schema: { hide: true } }, async (request, reply) => {
    if (!rootReal)
      return reply
        .code(404)
        .send({ error: { code: ErrorCode.NOT_FOUND, message: 'portal not built: run npm run build' } });
    if (isFilePath(request.url))
      return reply.code(404).send({ error: { code: ErrorCode.NOT_FOUND, message: 'not found' } });
    return sendStatic(reply, resolveStatic(rootReal, `/${PORTAL_PAGE}`));
  });

  // Everything else is the console: files from the build folder, and index.html for app routes.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (!rootReal)
      return reply
        .code(404)
        .send({ error: { code: ErrorCode.NOT_FOUND, message: 'console not built: run npm run build' } });
    let found = resolveStatic(rootReal, request.url);
    if (found.kind === 'not-found' && !isFilePath(request.url)) found = resolveStatic(rootReal, '/index.html');
    return sendStatic(reply, found);
  });
  return app;
}

/**
 * An admin who signs in through the gateway gets the docs cookie too (api-docs.ts); signing out
 * clears it. undefined: leave it as it is.
 */
function docsCookieChange(req: ConsoleRequest, res: ConsoleResponse): string | null | undefined {
  if (req.target !== 'auth_node' || res.status !== 200) return undefined;
  if (req.path === AuthRoutes.loginAdmin.url) return (res.body as { token?: string }).token ?? undefined;
  if (req.path === AuthRoutes.logout.url) return null;
  return undefined;
}

/** The portal's page in the renderer build (a second Vite entry beside the console's index.html). */
export const PORTAL_PAGE = 'portal.html';

/** A URL that names a file (has an extension) gets a 404 when missing, never an app page. */
function isFilePath(url: string): boolean {
  return /\.[a-z0-9]+$/i.test(url.split('?')[0]!);
}

function sendStatic(reply: FastifyReply, found: StaticResult): FastifyReply {
  if (found.kind === 'bad-request') return reply.code(400).send({ error: { code: 'BAD_PATH', message: 'bad path' } });
  if (found.kind !== 'file')
    return reply.code(404).send({ error: { code: ErrorCode.NOT_FOUND, message: 'not found' } });
  // Pages are revalidated (they name the hashed assets); the assets never change.
  const isPage = found.file.endsWith('.html');
  return reply
    .type(found.type)
    .header('cache-control', isPage ? 'no-cache' : 'public, max-age=31536000, immutable')
    .header('content-security-policy', CONSOLE_CSP)
    .send(fs.createReadStream(found.file));
}
