import type { FastifyRequest } from 'fastify';
import { SESSION_RESOLVE_PATH, type Role, type SessionResolveResponse, type SessionUser } from '../contracts/session.js';
import { forbidden, unauthorized } from './app-error.js';
import { ServiceCallError, type ServiceClient } from './service-client.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** set by `requireRole`; routes behind it can rely on it */
    user?: SessionUser;
  }
}

export interface SessionResolver {
  resolve(token: string): Promise<SessionUser>;
  /** drop a token from the cache (logout, disable) */
  forget(token: string): void;
}

/**
 * Resolves bearer tokens through auth_node, with a short cache so that a registration rush
 * does not turn every request into two extra hops. Logout and disable take effect within ttlMs.
 */
export function createSessionResolver(client: ServiceClient, opts: { ttlMs?: number; max?: number } = {}): SessionResolver {
  const ttlMs = opts.ttlMs ?? 3000;
  const max = opts.max ?? 50_000;
  const cache = new Map<string, { user: SessionUser; until: number }>();
  const inflight = new Map<string, Promise<SessionUser>>();

  const fetchUser = async (token: string): Promise<SessionUser> => {
    try {
      const res = await client.post<SessionResolveResponse>('auth_node', SESSION_RESOLVE_PATH, { token });
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(token, { user: res.user, until: Date.now() + ttlMs });
      return res.user;
    } catch (err) {
      if (err instanceof ServiceCallError && err.statusCode === 401) throw unauthorized('session expired or invalid', 'INVALID_SESSION');
      throw err;
    }
  };

  return {
    async resolve(token) {
      const hit = cache.get(token);
      if (hit && hit.until > Date.now()) return hit.user;
      let p = inflight.get(token);
      if (!p) {
        p = fetchUser(token).finally(() => inflight.delete(token));
        inflight.set(token, p);
      }
      return p;
    },
    forget(token) {
      cache.delete(token);
    },
  };
}

export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,256})$/.exec(h.trim());
  return m ? m[1]! : null;
}

/** preHandler: a valid session whose role is one of `roles`. */
export function requireRole(resolver: SessionResolver, ...roles: Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw unauthorized('missing bearer token');
    const user = await resolver.resolve(token);
    if (!roles.includes(user.role)) throw forbidden(`this route is for ${roles.join(' or ')} accounts`);
    request.user = user;
  };
}
