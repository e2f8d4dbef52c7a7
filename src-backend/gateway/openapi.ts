import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import type { Route, RouteOwner } from '../contracts/route.js';
import { AuthRoutes } from '../contracts/routes/auth.js';
import { CourseImportRoutes, DataCourseImportRoutes } from '../contracts/routes/course-import.js';
import { DataCourseRoutes } from '../contracts/routes/data-courses.js';
import { DataIdentityRoutes } from '../contracts/routes/data-identity.js';
import { DataMessagingRoutes } from '../contracts/routes/data-messaging.js';
import { GatewayRoutes } from '../contracts/routes/gateway.js';
import { QueueRoutes } from '../contracts/routes/queue.js';
import { RealtimeRoutes } from '../contracts/routes/realtime.js';
import { StudentRoutes } from '../contracts/routes/student.js';
import { SupervisorRoutes } from '../contracts/routes/supervisor.js';
import { TeacherRoutes } from '../contracts/routes/teacher.js';

/** Every route table, by the process that answers it. */
export const ROUTE_TABLES: Readonly<Record<RouteOwner, readonly Route[]>> = {
  gateway: Object.values(GatewayRoutes),
  auth_node: Object.values(AuthRoutes),
  teacher_node: [...Object.values(TeacherRoutes), ...Object.values(CourseImportRoutes)],
  student_node: Object.values(StudentRoutes),
  queue_node: Object.values(QueueRoutes),
  // one route per method and URL: /health is on both data tables' service
  data_node: dedupe([
    ...Object.values(DataCourseRoutes),
    ...Object.values(DataIdentityRoutes),
    ...Object.values(DataMessagingRoutes),
    ...Object.values(DataCourseImportRoutes),
  ]),
  realtime: Object.values(RealtimeRoutes),
  supervisor: Object.values(SupervisorRoutes),
};

function dedupe(routes: Route[]): Route[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Where a user reaches a route through the gateway: `/api/<owner><url>` (the gateway proxies
 * services and the supervisor there), or the gateway's own URL.
 */
export function gatewayPath(route: Route): string {
  return route.service === 'gateway' ? route.url : `/api/${route.service}${route.url}`;
}

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
};

/**
 * An OpenAPI 3.1 document of the public routes of `owners`, at their gateway paths, built by
 * @fastify/swagger from the tables' own schemas: the routes are registered on a throwaway
 * Fastify that never listens, with no-op handlers and no validator compiled.
 */
export async function buildOpenApi(owners: readonly RouteOwner[], version: string): Promise<OpenApiDocument> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Course Selection Console API',
        version,
        description:
          'Every route a user can call through the server-mode gateway. Sessions are `Authorization: Bearer <token>` ' +
          '(POST /api/auth_node/login or /login/admin); errors are `{error: {code, message}}`; times are ISO-8601 UTC strings.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: owners.map((name) => ({ name })),
    },
  });
  for (const owner of owners) {
    for (const route of ROUTE_TABLES[owner]) {
      if (route.access !== 'public') continue;
      app.route({
        method: route.method,
        url: gatewayPath(route),
        schema: { ...route.schema, summary: route.summary, tags: [owner] },
        handler: async () => null,
      });
    }
  }
  await app.ready();
  const doc = app.swagger() as unknown as OpenApiDocument;
  await app.close();
  return doc;
}
