import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayRoutes } from '../contracts/routes/gateway.js';
import type { RouteOwner } from '../contracts/route.js';
import { SERVICE_NAMES } from '../contracts/services.js';
import type { App } from '../shared/create-app.js';
import { registerRoute } from '../shared/register-route.js';
import { bearerToken } from '../shared/session-auth.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';

/**
 * Whose routes the gateway documents: everything a user can reach through it. queue_node is
 * internal but for /health, and data_node is all internal but the course list and /health.
 */
export const DOCUMENTED: readonly RouteOwner[] = ['gateway', ...SERVICE_NAMES, 'supervisor'];

/**
 * The admin's session for the docs: a browser that opens /api/docs sends no Authorization
 * header, so the gateway also sets this cookie when an admin signs in through it (HttpOnly,
 * SameSite=Strict, only sent to /api/docs and the OpenAPI documents). It is accepted on those read-only
 * GET routes and nowhere else, so it opens no door a forged request could use.
 */
export const DOCS_COOKIE = 'csc_docs';
const COOKIE_PATHS = [
  GatewayRoutes.docs.url,
  GatewayRoutes.openapi.url,
  GatewayRoutes.serviceOpenapi.url.replace(':owner', ''),
];

/**
 * The docs page's CSP: Swagger UI's files from here and nothing from elsewhere. Its React code
 * writes inline style attributes (e2e/12-api-docs.spec.ts fails on them under style-src 'self'),
 * so styles alone may be inline; scripts may not.
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface ApiDocsOptions {
  readonly version: string;
  /** the admin check the supervisor routes use (gateway/admin-guard.ts) */
  readonly requireAdmin: (token: string | undefined) => Promise<unknown>;
}

/** A request's session: the bearer token, or the docs cookie. */
function docsToken(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request);
  if (bearer) return bearer;
  const cookie = request.headers.cookie ?? '';
  const m = new RegExp(`(?:^|;\\s*)${DOCS_COOKIE}=([^;]+)`).exec(cookie);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** Set (or clear, with null) the docs cookie on an answer. */
export function setDocsCookie(reply: FastifyReply, token: string | null, secure: boolean): void {
  const attrs = `HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  const value = token === null ? `${DOCS_COOKIE}=; Max-Age=0` : `${DOCS_COOKIE}=${encodeURIComponent(token)}`;
  void reply.header(
    'set-cookie',
    COOKIE_PATHS.map((p) => `${value}; Path=${p}; ${attrs}`),
  );
}

/** GET /api/openapi.json, /api/openapi/:owner and the Swagger UI at /api/docs, all for admins only. */
export async function apiDocs(app: App, opts: ApiDocsOptions): Promise<void> {
  const merged = await buildOpenApi(DOCUMENTED, opts.version);
  const perOwner = new Map<string, OpenApiDocument>();
  for (const owner of DOCUMENTED) perOwner.set(owner, await buildOpenApi([owner], opts.version));

  const onRequest = async (request: FastifyRequest): Promise<void> => {
    await opts.requireAdmin(docsToken(request));
  };
  registerRoute(app, GatewayRoutes.openapi, { onRequest }, async () => merged);
  registerRoute(app, GatewayRoutes.serviceOpenapi, { onRequest }, async (request, reply) => {
    const doc = perOwner.get(request.params.owner);
    if (!doc)
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no document for ${request.params.owner}` } });
    return doc;
  });

  await app.register(async (docs) => {
    await docs.register(swagger, { mode: 'static', specification: { document: merged as never } });
    await docs.register(swaggerUi, {
      routePrefix: GatewayRoutes.docs.url,
      uiConfig: { validatorUrl: null, docExpansion: 'list', deepLinking: false },
      uiHooks: { onRequest },
      staticCSP: false,
    });
    docs.addHook('onSend', async (_request, reply) => {
      void reply.header('content-security-policy', DOCS_CSP);
    });
  });
}
