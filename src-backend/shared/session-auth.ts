import type { FastifyRequest } from 'fastify';
import {
  SESSION_RESOLVE_BATCH_MAX,
  type Role,
  type SessionResolveBatchResponse,
  type SessionResolveResponse,
  type SessionUser,
} from '../contracts/session.js';
import { forbidden, unauthorized } from './app-error.js';
import { ConfigError } from './config.js';
import type { App } from './create-app.js';
import { MicroBatcher } from './micro-batcher.js';
import { registerRoute } from './register-route.js';
import { SESSION_LOOKUP_RETRY_MS, retryTransient } from './retry.js';
import { ServiceCallError, type ServiceClient } from './service-client.js';
import { AuthRoutes } from '../contracts/routes/auth.js';
import type { FORGET_SESSIONS } from '../contracts/routes/shared.js';
import type { Route } from '../contracts/route.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who is signed in, under this one name on every service: set by `requireRole`, the
     * realtime server's staff check and auth_node's session guard; routes behind them rely on it.
     */
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

export interface SessionResolverOptions {
  /** how long a resolved session is trusted (never past its own expiry) */
  readonly ttlMs?: number;
  /** cached sessions at most; the oldest goes first */
  readonly max?: number;
  /** collect cache misses this long before asking auth_node for all of them in one call */
  readonly batchMs?: number;
  /** tokens per call at most (auth_node takes SESSION_RESOLVE_BATCH_MAX) */
  readonly maxBatch?: number;
  /**
   * calls to auth_node at once; while they are all out, new misses wait and go in the next
   * batch, so batches grow with the load instead of staying a few tokens each
   */
  readonly maxInFlight?: number;
  /**
   * keep asking an auth_node that is down or restarting (or whose data_node is) this long before
   * failing the callers (default 5000): a crash in a rush delays requests instead of refusing them
   */
  readonly retryForMs?: number;
}

const invalidSession = () => unauthorized('session expired or invalid', 'INVALID_SESSION');

/**
 * Resolves bearer tokens through auth_node, with a short cache so that a registration rush
 * does not turn every request into two extra hops. auth_node calls FORGET_SESSIONS.url when a
 * session dies, so revocation is immediate; ttlMs only bounds staleness if that call is lost.
 *
 * Cache misses are collected for batchMs (or until maxBatch) and sent as one resolve-batch
 * call, at most maxInFlight at once: the first requests of 10,000 students cost a few dozen
 * calls, not 10,000. Each token is looked up once however many callers wait for it; each
 * caller gets its own token's answer (401 INVALID_SESSION, 403 set-up blocks), and a call that
 * fails as a whole fails every caller in it.
 */
export function createSessionResolver(client: ServiceClient, opts: SessionResolverOptions = {}): SessionResolver {
  const ttlMs = opts.ttlMs ?? 3000;
  const max = opts.max ?? 50_000;
  const batchMs = opts.batchMs ?? 1;
  const maxBatch = Math.min(opts.maxBatch ?? SESSION_RESOLVE_BATCH_MAX, SESSION_RESOLVE_BATCH_MAX);
  const maxInFlight = opts.maxInFlight ?? 4;
  const retryForMs = opts.retryForMs ?? SESSION_LOOKUP_RETRY_MS;
  const cache = new Map<string, { user: SessionUser; until: number }>();
  const inflight = new Map<string, Promise<SessionUser>>();
  // Bumped by every forget: a lookup that was already in flight may carry a session that died
  // meanwhile, so its answer serves only the callers that were waiting and is not cached.
  let epoch = 0;

  const remember = (token: string, res: SessionResolveResponse) => {
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    // never trusted past the session's own expiry
    const expires = Date.parse(res.expiresAt);
    const until = Math.min(Date.now() + ttlMs, Number.isNaN(expires) ? Infinity : expires);
    cache.set(token, { user: res.user, until });
  };

  // A token forgotten while queued may be queued twice; it is asked once (`key`).
  const batcher = new MicroBatcher<string, SessionResolveBatchResponse['results'][number]>({
    windowMs: batchMs,
    maxBatch,
    maxInFlight,
    key: (token) => token,
    send: async (tokens) => {
      const ask = () =>
        // auth_node may itself spend up to 5 s waiting for a restarting data_node
        client.call(AuthRoutes.resolveSessions, { body: { tokens }, timeoutMs: 12_000 });
      return (await retryTransient(ask, retryForMs)).results;
    },
  });

  const lookup = async (token: string): Promise<SessionUser> => {
    const started = epoch;
    let r: SessionResolveBatchResponse['results'][number];
    try {
      r = await batcher.submit(token);
    } catch (err) {
      throw err instanceof ServiceCallError && err.statusCode === 401 ? invalidSession() : err;
    }
    if ('user' in r) {
      if (started === epoch) remember(token, r);
      return r.user;
    }
    const { status, code, message } = r.error;
    // exactly what a failed single resolve gave this caller
    throw status === 401 ? invalidSession() : new ServiceCallError('auth_node', status, code, message);
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
        const fresh = lookup(token).finally(() => {
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

/**
 * The internal route auth_node calls to make a revoked session fail here at once: the owning
 * service's FORGET_SESSIONS entry (StudentRoutes.forgetSessions, TeacherRoutes.forgetSessions).
 */
export function sessionForgetRoute(route: Route<typeof FORGET_SESSIONS.schema>, resolver: SessionResolver) {
  return async (app: App): Promise<void> => {
    registerRoute(app, route, {}, async (request) => {
      const body = request.body;
      return { forgotten: 'token' in body ? resolver.forget(body.token) : resolver.forgetUser(body.userId) };
    });
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
  // RFC 9110: the scheme is case-insensitive (`bearer`, `BEARER`); the token is not.
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,256})$/i.exec(h.trim());
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
