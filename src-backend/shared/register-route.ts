import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Route, RouteAccess, RouteSchema } from '../contracts/route.js';
import type { App } from './create-app.js';

/** What a table route registers with besides its own method, URL and schemas. */
export type RouteExtras<S extends RouteSchema> = Omit<
  RouteShorthandOptions<
    RawServerDefault,
    IncomingMessage,
    ServerResponse,
    RouteGenericInterface,
    ContextConfigDefault,
    S,
    TypeBoxTypeProvider,
    FastifyBaseLogger
  >,
  'schema' | 'config'
>;

export type RouteHandler<S extends RouteSchema> = RouteHandlerMethod<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  RouteGenericInterface,
  ContextConfigDefault,
  S,
  TypeBoxTypeProvider,
  FastifyBaseLogger
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** from the route table; createBaseApp refuses `internal` routes to callers without the internal token */
    access?: RouteAccess;
  }
}

/**
 * Register one route of a table: its method, URL and schemas come from the table, the handler
 * and hooks from the service. Internal routes are hidden from the OpenAPI document and gated on
 * the request line by createBaseApp.
 */
export function registerRoute<S extends RouteSchema>(
  app: App,
  route: Route<S>,
  extras: RouteExtras<S>,
  handler: RouteHandler<S>,
): void {
  app.route({
    ...extras,
    method: route.method,
    url: route.url,
    schema: {
      ...route.schema,
      summary: route.summary,
      tags: [route.service],
      ...(route.access === 'internal' ? { hide: true } : {}),
    },
    config: { access: route.access },
    handler,
  } as unknown as Parameters<App['route']>[0]);
}
