import type { Static, TSchema } from 'typebox';
import type { ServiceName } from './services.js';

/**
 * A route is one object: method, URL, schemas and a summary. The owning service registers it
 * (shared/register-route.ts), `ServiceClient.call` builds the URL and infers the answer from it,
 * and the OpenAPI document (gateway/openapi.ts) is made from it, so none of them spells the
 * route a second time.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * `public`: reachable through the gateway (the route may still want a session or a role);
 * `internal`: only with the internal token, refused on the request line, and left out of the
 * OpenAPI document.
 */
export type RouteAccess = 'public' | 'internal';

/** Who answers a route: a service, the gateway itself, or the supervisor behind the gateway. */
export type RouteOwner = ServiceName | 'gateway' | 'supervisor';

export interface RouteSchema {
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  readonly headers?: TSchema;
  /** one schema per status the route answers with */
  readonly response: { readonly [status: number]: TSchema };
}

export interface RouteSpec<S extends RouteSchema = RouteSchema> {
  readonly method: HttpMethod;
  /** with `:name` for each path parameter */
  readonly url: string;
  /** one line for the OpenAPI document */
  readonly summary: string;
  readonly access: RouteAccess;
  readonly schema: S;
}

export interface Route<S extends RouteSchema = RouteSchema, O extends RouteOwner = RouteOwner> extends RouteSpec<S> {
  readonly service: O;
}

/** A service's routes, each stamped with the service that answers it. */
export function routeTable<const O extends RouteOwner, const T extends Record<string, RouteSpec>>(
  service: O,
  specs: T,
): { readonly [K in keyof T]: T[K] & { readonly service: O } } {
  const table: Record<string, Route> = {};
  for (const [name, spec] of Object.entries(specs)) table[name] = Object.freeze({ ...spec, service });
  return Object.freeze(table) as { readonly [K in keyof T]: T[K] & { readonly service: O } };
}

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206;
type Responses<R extends RouteSpec> = R['schema']['response'];

/** What a 2xx answer of the route carries (a union when it has several 2xx statuses). */
export type SuccessBody<R extends RouteSpec> = {
  [K in keyof Responses<R>]: K extends SuccessStatus ? Static<Responses<R>[K]> : never;
}[keyof Responses<R>];

type Part<S, K extends keyof RouteSchema, Name extends string> = S extends {
  readonly [P in K]: infer X extends TSchema;
}
  ? { readonly [P in Name]: Static<X> }
  : { readonly [P in Name]?: undefined };

/** What a caller hands `ServiceClient.call` (and `pathOf`) for a route. */
export type RouteInput<R extends RouteSpec> = Part<R['schema'], 'params', 'params'> &
  Part<R['schema'], 'body', 'body'> & {
    readonly query?: R['schema'] extends { readonly querystring: infer Q extends TSchema }
      ? Partial<Static<Q>>
      : undefined;
  };

/**
 * The route's URL with its `:params` filled in (URI-encoded) and `query` appended; undefined
 * query values are left out. Throws when a parameter is missing, so a bad call never reaches
 * the wrong route.
 */
export function pathOf(route: RouteSpec, params?: object, query?: object): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const path = route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined || v === null || v === '')
      throw new Error(`${route.method} ${route.url}: no value for :${name}`);
    return encodeURIComponent(String(v));
  });
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) qs.append(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Which route of `routes` answers `method` and `path` (no query string), and its path
 * parameters as strings. For dispatchers that are not Fastify (the supervisor behind the
 * gateway and the Electron IPC handler).
 */
export function matchRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | null {
  const parts = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const want = route.url.split('/');
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const hit = want.every((w, i) => {
      if (w.startsWith(':')) {
        if (!parts[i]) return false;
        params[w.slice(1)] = decodeURIComponent(parts[i]!);
        return true;
      }
      return w === parts[i];
    });
    if (hit) return { route, params };
  }
  return null;
}

/** A caller's argument list for a route: optional when the route needs no params or body. */
export type InputArgs<R extends RouteSpec, Extra = unknown> =
  object extends RouteInput<R> ? [input?: RouteInput<R> & Extra] : [input: RouteInput<R> & Extra];

/**
 * Where a user reaches a route through the server-mode gateway: `/api/<owner><path>` (the
 * gateway proxies every service and the supervisor there), or the gateway's own path.
 */
export function gatewayPathOf(route: Route, params?: object, query?: object): string {
  const path = pathOf(route, params, query);
  return route.service === 'gateway' ? path : `/api/${route.service}${path}`;
}
