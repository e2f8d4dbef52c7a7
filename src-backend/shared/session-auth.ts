import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../contracts/errors.js';
import {
  SESSION_FORGET_PATH,
  SESSION_RESOLVE_PATH,
  SessionForgetRequest,
  SessionForgetResponse,
  type Role,
  type SessionResolveResponse,
  type SessionUser,
} from '../contracts/session.js';
import { forbidden, unauthorized } from './app-error.js';
import { ConfigError } from './config.js';
import type { App } from './create-app.js';
import { requireInternal } from './internal-auth.js';
import { ServiceCallError, type ServiceClient } from './service-client.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** set by `requireRole`; routes behind it can rely on it */
    user?: SessionUser;
  }
}

export interface SessionResolver {
  resolve(token: string): Promise<SessionUser>;
  /** drop a token from the cache (logout); returns how many entries went */
  forget(token: string): number;
  /** drop every cached session of a user (disable, delete, password change, 2FA reset) */
  forgetUser(userId: number): number;
}

/**
 * Resolves bearer tokens through auth_node, with a short cache so that a registration rush
 * does not turn every request into two extra hops. auth_node calls SESSION_FORGET_PATH when a
 * session dies, so revocation is immediate; ttlMs only bounds staleness if that call is lost.
 */
export function createSessionResolver(
  client: ServiceClient,
  opts: { ttlMs?: number; max?: number } = {},
): SessionResolver {
  const ttlMs = opts.ttlMs ?? 3000;
  const max = opts.max ?? 50_000;
  const cache = new Map<string, { user: SessionUser; until: number }>();
  const inflight = new Map<string, Promise<SessionUser>>();
  // Bumped by every forget: a lookup that was already in flight may carry a session that died
  // meanwhile, so its answer serves only the callers that were waiting and is not cached.
  let epoch = 0;

  const fetchUser = async (token: string): Promise<SessionUser> => {
    const startedAt = epoch;
    try {
      const res = await client.post<SessionResolveResponse>('auth_node', SESSION_RESOLVE_PATH, { token });
      if (startedAt === epoch) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        // never trusted past the session's own expiry
        const expires = Date.parse(res.expiresAt);
        const until = Math.min(Date.now() + ttlMs, Number.isNaN(expires) ? Infinity : expires);
        cache.set(token, { user: res.user, until });
      }
      return res.user;
    } catch (err) {
      if (err instanceof ServiceCallError && err.statusCode === 401)
        throw unauthorized('session expired or invalid', 'INVALID_SESSION');
      throw err;
    }
  };
  const invalidate = () => {
    epoch++;
    inflight.clear(); // later callers start a fresh lookup instead of joining a stale one
  };

  return {
    async resolve(token) {
      const hit = cache.get(token);
      if (hit && hit.until > Date.now()) return hit.user;
      let p = inflight.get(token);
      if (!p) {
        const fresh = fetchUser(token).finally(() => {
          if (inflight.get(token) === fresh) inflight.delete(token);
        });
        inflight.set(token, fresh);
        p = fresh;
      }
      return p;
    },
    forget(token) {
      invalidate();
      return cache.delete(token) ? 1 : 0;
    },
    forgetUser(userId) {
      invalidate();
      let n = 0;
      for (const [token, entry] of cache) {
        if (entry.user.id === userId && cache.delete(token)) n++;
      }
      return n;
    },
  };
}

/** The internal route auth_node calls to make a revoked session fail here at once. */
export function sessionForgetRoute(resolver: SessionResolver, internalToken: string) {
  return async (app: App): Promise<void> => {
    app.post(
      SESSION_FORGET_PATH,
      {
        preHandler: requireInternal(internalToken),
        schema: { body: SessionForgetRequest, response: { 200: SessionForgetResponse, ...errorResponses } },
      },
      async (request) => {
        const body = request.body;
        return { forgotten: 'token' in body ? resolver.forget(body.token) : resolver.forgetUser(body.userId) };
      },
    );
  };
}

/** student_node's and teacher_node's default: a rush re-resolves each student at most this often. */
export const DEFAULT_SESSION_CACHE_MS = 30_000;

/**
 * SESSION_CACHE_MS (default 30000, at most 60000): how long student_node and teacher_node trust
 * a resolved session, never past its expiry. Longer saves auth round trips in a rush (with 3 s,
 * an 8 s rush resolved every student two or three times); auth_node pushes logout, disable and
 * the rest at once, so this only bounds staleness when that push is lost.
 */
export function sessionCacheMsFromEnv(raw = process.env.SESSION_CACHE_MS): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 60_000)
    throw new ConfigError(`SESSION_CACHE_MS=${raw} is not a whole number of ms from 0 to 60000`);
  return n;
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
