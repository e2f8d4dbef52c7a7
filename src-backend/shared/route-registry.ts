import type { FastifyInstance } from 'fastify';
import type { RouteAccess } from '../contracts/route.js';

/** A route as Fastify registered it (from its onRoute hook), whatever table it came from, if any. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  /** undefined for a route registered without a table */
  readonly access: RouteAccess | undefined;
  /** `schema.hide`: plugin routes (the docs UI's assets) that are not API */
  readonly hidden: boolean;
}

const registries = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Remember every route the app registers from now on (createBaseApp calls this first). */
export function trackRoutes(app: FastifyInstance): void {
  const list: RegisteredRoute[] = [];
  registries.set(app, list);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue; // Fastify adds HEAD for every GET
      list.push({
        method,
        url: route.url,
        access: route.config?.access,
        hidden: (route.schema as { hide?: boolean } | undefined)?.hide === true,
      });
    }
  });
}

/** What the app registered, in order. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registries.get(app) ?? [];
}
