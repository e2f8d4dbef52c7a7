import { Type } from 'typebox';
import { ok } from '../common.js';
import { AppInfo } from '../console-api.js';
import { routeTable } from '../route.js';

/**
 * The server-mode gateway's own routes. Everything else under `/api/<service>/…` is proxied to
 * that service's table (with the caller's rights only), and the rest is the built console.
 */
export const GatewayRoutes = routeTable('gateway', {
  health: {
    method: 'GET',
    url: '/health',
    summary: 'Liveness of the gateway itself',
    access: 'public',
    schema: {
      response: ok(
        Type.Object({
          status: Type.Literal('healthy'),
          service: Type.Literal('gateway'),
          pid: Type.Integer(),
          uptime: Type.Number(),
        }),
      ),
    },
  },
  config: {
    method: 'GET',
    url: '/api/config',
    summary: 'How the console runs: mode, version and where to reach realtime',
    access: 'public',
    schema: { response: ok(AppInfo) },
  },
  openapi: {
    method: 'GET',
    url: '/api/openapi.json',
    summary: 'Admin: this OpenAPI 3.1 document (session cookie or bearer)',
    access: 'public',
    schema: { response: ok(Type.Object({ openapi: Type.String() }, { additionalProperties: true })) },
  },
  serviceOpenapi: {
    method: 'GET',
    url: '/api/openapi/:owner',
    summary: "Admin: one service's part of the document (auth_node, teacher_node, …, supervisor, gateway)",
    access: 'public',
    schema: {
      params: Type.Object({ owner: Type.String({ pattern: '^[a-z_]+$', maxLength: 20 }) }),
      response: ok(Type.Object({ openapi: Type.String() }, { additionalProperties: true })),
    },
  },
  docs: {
    method: 'GET',
    url: '/api/docs',
    summary: 'Admin: the API reference (Swagger UI) for this document',
    access: 'public',
    schema: { response: ok(Type.String({ description: 'text/html' })) },
  },
});
