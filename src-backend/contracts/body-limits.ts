import { AuthPaths } from './routes/auth.js';
import { CourseImportRoutes } from './routes/course-import.js';
import type { ServiceName } from './services.js';

const MiB = 1024 * 1024;

/**
 * The largest request body each service takes. The services enforce these, and the gateway
 * refuses a bigger body (413) from its Content-Length, or as it arrives, before passing it on:
 * a target that stops reading half-way would otherwise look like a dead service (503).
 */
export const BODY_LIMITS: Readonly<Record<ServiceName, number>> = {
  data_node: 16 * MiB,
  auth_node: 1 * MiB,
  teacher_node: 1 * MiB,
  student_node: 1 * MiB,
  queue_node: 4 * MiB,
  realtime: 16 * MiB,
};

/** The routes that take more than their service's limit. */
export const ROUTE_BODY_LIMITS: readonly {
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly bytes: number;
}[] = [
  // 10,000 rows of CSV come to about 2 MB of JSON.
  { service: 'auth_node', method: 'POST', path: AuthPaths.usersBulk, bytes: 8 * MiB },
  // 5,000 courses with descriptions; an --atomic import is one request.
  { service: 'teacher_node', method: 'POST', path: CourseImportRoutes.importCourses.url, bytes: 8 * MiB },
];

/** Supervisor operations carry no body worth the name. */
export const SUPERVISOR_BODY_LIMIT = 64 * 1024;

/** The limit for one call: the route's own, else its service's. `path` without the query. */
export function bodyLimitFor(service: ServiceName, method: string, path: string): number {
  const route = ROUTE_BODY_LIMITS.find((r) => r.service === service && r.method === method && r.path === path);
  return route?.bytes ?? BODY_LIMITS[service];
}

/** `1 MiB`, `64 KiB`: how limits are named in messages. */
export function formatLimit(bytes: number): string {
  return bytes >= MiB ? `${Math.ceil(bytes / MiB)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
