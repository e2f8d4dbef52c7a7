import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionResolveBatchRequest } from '../contracts/session.js';
import { buildAuthApp } from '../services/auth/app.js';
import { mintSessions, seedUsers } from '../services/queue/testing/seed.js';
import { freePort } from '../testing/ports.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';
import { AppError } from './app-error.js';
import { ConfigError } from './config.js';
import type { App } from './create-app.js';
import { toErrorBody } from './error-handler.js';
import { ServiceCallError, ServiceClient } from './service-client.js';
import { createSessionResolver, sessionCacheMsFromEnv } from './session-auth.js';
import { DataIdentityRoutes } from '../contracts/routes/data-identity.js';
import { AuthRoutes } from '../contracts/routes/auth.js';

// The resolver as student_node uses it, over a real auth_node and data_node. Sessions are
// revoked on the data side directly, so only the cache can still vouch for them.
let stack: TestStack;
let ids: number[];

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node'], env: { ADMIN_PASSWORD: 'resolver-test-pw' } });
  ids = (
    await seedUsers(stack.client, [
      { role: 'student', username: 'cache-a', name: 'A', group: 'cs' },
      { role: 'student', username: 'cache-b', name: 'B', group: 'cs' },
    ])
  ).map((u) => u.id);
  await startCountingAuth();
}, 60_000);
afterAll(async () => {
  await countedClient?.close();
  await countingAuth?.close();
  await stack?.stop();
}, 30_000);

// A second auth_node, the real app in-process over the same data_node, that records the token
// list of every resolve-batch call and can hold calls at a gate to keep a batch in flight.
let countingAuth: App;
let countedClient: ServiceClient;
let batches: string[][] = [];
let gate: Promise<void> | null = null;
async function startCountingAuth(): Promise<void> {
  ({ app: countingAuth } = await buildAuthApp({ config: stack.config, client: stack.client }));
  countingAuth.addHook('preHandler', async (request) => {
    if (request.url !== AuthRoutes.resolveSessions.url) return;
    batches.push((request.body as SessionResolveBatchRequest).tokens);
    if (gate) await gate;
  });
  await countingAuth.listen({ host: '127.0.0.1', port: 0 });
  const { port } = countingAuth.server.address() as AddressInfo;
  countedClient = new ServiceClient({
    config: { ...stack.config, urls: { auth_node: `http://127.0.0.1:${port}` } },
  });
}
function closedGate(): () => void {
  let open!: () => void;
  gate = new Promise<void>((r) => (open = r));
  return () => {
    gate = null;
    open();
  };
}

const revokeToken = (token: string) => stack.client.call(DataIdentityRoutes.revokeSessions, { body: { token } });
const revokeUser = (userId: number) => stack.client.call(DataIdentityRoutes.revokeSessions, { body: { userId } });
const refused = (p: Promise<unknown>) =>
  expect(p).rejects.toSatisfy((e) => e instanceof AppError && e.statusCode === 401 && e.code === 'INVALID_SESSION');

describe('createSessionResolver', () => {
  it('never trusts a cached session past its own expiry, however long the cache', async () => {
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    // a session that dies in 2 s (absolute expiry), resolved while it lives
    const res = await stack.client.call(DataIdentityRoutes.createSessions, {
      body: {
        userIds: [ids[1]!],
        idleSeconds: 3600,
        absoluteSeconds: 2,
      },
    });
    const token = res.sessions[0]!.token;
    expect((await resolver.resolve(token)).username).toBe('cache-b');
    await new Promise((r) => setTimeout(r, 2300));
    await refused(resolver.resolve(token)); // a 60 s cache alone would still vouch for it
  });

  it('caches a resolved session until it is forgotten', async () => {
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    const [token] = await mintSessions(stack.client, [ids[0]!]);
    expect((await resolver.resolve(token!)).username).toBe('cache-a');
    await revokeToken(token!);
    expect((await resolver.resolve(token!)).username).toBe('cache-a'); // the cache still vouches
    expect(resolver.forget(token!)).toBe(1);
    await refused(resolver.resolve(token!));
    expect(resolver.forget(token!)).toBe(0);
  });

  it('forgetUser drops every cached session of that user and only those', async () => {
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    const [a1, a2, b] = await mintSessions(stack.client, [ids[0]!, ids[0]!, ids[1]!]);
    for (const t of [a1!, a2!, b!]) await resolver.resolve(t);
    await revokeUser(ids[0]!);
    await revokeUser(ids[1]!);
    expect(resolver.forgetUser(ids[0]!)).toBe(2);
    await refused(resolver.resolve(a1!));
    await refused(resolver.resolve(a2!));
    expect((await resolver.resolve(b!)).username).toBe('cache-b');
  });

  it('a lookup in flight when a forget arrives answers its caller but is not cached', async () => {
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    const [token] = await mintSessions(stack.client, [ids[1]!]);
    const inFlight = resolver.resolve(token!);
    resolver.forgetUser(ids[1]!);
    expect((await inFlight).username).toBe('cache-b');
    await revokeToken(token!);
    await refused(resolver.resolve(token!));
  });
});

describe('createSessionResolver batching', () => {
  const usernames = (users: { username: string }[]) => users.map((u) => u.username);

  it('asks auth_node once for many concurrent misses, and once per token however many wait', async () => {
    batches = [];
    const resolver = createSessionResolver(countedClient, { ttlMs: 60_000 });
    const owners = Array.from({ length: 40 }, (_, i) => ids[i % 2]!);
    const tokens = await mintSessions(stack.client, owners);
    const users = await Promise.all([...tokens, ...tokens, ...tokens].map((t) => resolver.resolve(t)));
    const expected = owners.map((id) => (id === ids[0] ? 'cache-a' : 'cache-b'));
    expect(usernames(users)).toEqual([...expected, ...expected, ...expected]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(tokens);
    await Promise.all(tokens.map((t) => resolver.resolve(t)));
    expect(batches).toHaveLength(1); // all cached now
  });

  it('splits at maxBatch', async () => {
    batches = [];
    const resolver = createSessionResolver(countedClient, { ttlMs: 60_000, maxBatch: 3 });
    const tokens = await mintSessions(
      stack.client,
      Array.from({ length: 7 }, () => ids[0]!),
    );
    expect(usernames(await Promise.all(tokens.map((t) => resolver.resolve(t))))).toEqual(Array(7).fill('cache-a'));
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat()).toEqual(tokens);
  });

  it('a refused token fails only its own caller, with the same error as a single resolve', async () => {
    batches = [];
    const [blocked] = (
      await seedUsers(stack.client, [
        { role: 'teacher', username: 'cache-newpass', name: 'N', mustChangePassword: true },
      ])
    ).map((u) => u.id);
    const [good, revoked, mustChange] = await mintSessions(stack.client, [ids[0]!, ids[1]!, blocked!]);
    await revokeToken(revoked!);
    const resolver = createSessionResolver(countedClient, { ttlMs: 60_000 });
    const answers = await Promise.allSettled(
      [good!, revoked!, 'never-issued', mustChange!, good!].map((t) => resolver.resolve(t)),
    );
    expect(batches).toHaveLength(1);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    for (const i of [1, 2]) {
      const e = (answers[i] as PromiseRejectedResult).reason;
      expect(e).toBeInstanceOf(AppError);
      expect([e.statusCode, e.code]).toEqual([401, 'INVALID_SESSION']);
    }
    // a set-up block passes through as auth_node's 403, exactly as the single route's did
    const blockedErr = (answers[3] as PromiseRejectedResult).reason;
    expect(blockedErr).toBeInstanceOf(ServiceCallError);
    expect([blockedErr.statusCode, blockedErr.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    // refusals are not cached: the next try asks again
    await refused(resolver.resolve(revoked!));
    expect(batches).toHaveLength(2);
  });

  it('a forget while a batch is in flight: its callers are answered, nothing is cached', async () => {
    batches = [];
    const resolver = createSessionResolver(countedClient, { ttlMs: 60_000 });
    const [token, other] = await mintSessions(stack.client, [ids[1]!, ids[0]!]);
    const open = closedGate();
    const first = [resolver.resolve(token!), resolver.resolve(other!)];
    await waitFor(() => batches.length === 1);
    expect(resolver.forget(token!)).toBe(0);
    // a caller after the forget does not join the stale lookup: it is asked anew
    const second = resolver.resolve(token!);
    await waitFor(() => batches.length === 2);
    expect(batches[1]).toEqual([token]);
    open();
    expect(usernames(await Promise.all([...first, second]))).toEqual(['cache-b', 'cache-a', 'cache-b']);
    // neither answer of the first batch was cached (the second one was, after the forget)
    await revokeToken(token!);
    await revokeToken(other!);
    await refused(resolver.resolve(other!));
    expect((await resolver.resolve(token!)).username).toBe('cache-b');
    expect(resolver.forget(token!)).toBe(1);
    await refused(resolver.resolve(token!));
  });

  it('misses that arrive while maxInFlight calls are out go together in the next call', async () => {
    batches = [];
    const resolver = createSessionResolver(countedClient, { ttlMs: 60_000, maxInFlight: 1 });
    const tokens = await mintSessions(
      stack.client,
      Array.from({ length: 6 }, () => ids[0]!),
    );
    const open = closedGate();
    const first = resolver.resolve(tokens[0]!);
    await waitFor(() => batches.length === 1);
    const rest = tokens.slice(1).map((t) => resolver.resolve(t));
    open();
    expect(usernames(await Promise.all([first, ...rest]))).toEqual(Array(6).fill('cache-a'));
    expect(batches).toEqual([[tokens[0]], tokens.slice(1)]);
  });

  it('a failed call fails every caller in it with the service error, not a 401', async () => {
    const [token] = await mintSessions(stack.client, [ids[0]!]);
    const nowhere = new ServiceClient({
      config: { ...stack.config, urls: { auth_node: `http://127.0.0.1:${await freePort()}` } },
    });
    try {
      const resolver = createSessionResolver(nowhere, { ttlMs: 60_000 });
      const answers = await Promise.allSettled([resolver.resolve(token!), resolver.resolve('never-issued')]);
      for (const a of answers) {
        expect(a.status).toBe('rejected');
        const e = (a as PromiseRejectedResult).reason;
        expect(e).toBeInstanceOf(ServiceCallError);
        expect(e.statusCode).toBe(503);
      }
    } finally {
      await nowhere.close();
    }
  });
});

// A data_node crash while sessions are being looked up (README, Architecture: Sessions). These
// stop and start the stack's data_node, so they come last.
describe('session look-ups while data_node restarts', () => {
  it('wait for a data_node that comes back within 5 s and are answered', async () => {
    const [token] = await mintSessions(stack.client, [ids[0]!]);
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    await stack.supervisor.stop('data_node');
    const started = Date.now();
    const answer = resolver.resolve(token!);
    await new Promise((r) => setTimeout(r, 1000));
    await stack.supervisor.start('data_node');
    expect((await answer).username).toBe('cache-a');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  }, 30_000);

  it('after 5 s, fail naming data_node (not auth_node), with Retry-After', async () => {
    const [token] = await mintSessions(stack.client, [ids[1]!]);
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    await stack.supervisor.stop('data_node');
    try {
      const started = Date.now();
      const err = await resolver.resolve(token!).then(
        () => null,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
      expect(err).toBeInstanceOf(ServiceCallError);
      expect([(err as ServiceCallError).service, (err as ServiceCallError).failedService]).toEqual([
        'auth_node',
        'data_node',
      ]);
      // what student_node, teacher_node and realtime answer their caller with
      const { status, body, headers } = toErrorBody(err);
      expect(status).toBe(503);
      expect(body.error).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'data_node is unavailable',
        details: { service: 'data_node', retryAfterSeconds: 2 },
      });
      expect(headers).toEqual({ 'retry-after': '2' });
    } finally {
      await stack.supervisor.start('data_node');
    }
  }, 30_000);
});

describe('sessionCacheMsFromEnv', () => {
  it('reads whole milliseconds from 0 to 60000 and refuses anything else in one line', () => {
    expect(sessionCacheMsFromEnv(undefined)).toBeUndefined();
    expect(sessionCacheMsFromEnv('')).toBeUndefined();
    expect(sessionCacheMsFromEnv('0')).toBe(0);
    expect(sessionCacheMsFromEnv('60000')).toBe(60_000);
    for (const bad of ['-1', '60001', '1.5', 'soon']) {
      expect(() => sessionCacheMsFromEnv(bad)).toThrow(ConfigError);
    }
    expect(() => sessionCacheMsFromEnv('soon')).toThrow('SESSION_CACHE_MS=soon is not a whole number of ms');
  });
});

describe('bearerToken', () => {
  it('takes the Bearer scheme in any case (RFC 9110: schemes are case-insensitive), at a real auth_node', async () => {
    const [token] = await mintSessions(stack.client, [ids[0]!]);
    const me = (authorization: string) =>
      stack.client.callRaw(AuthRoutes.me, { internal: false, headers: { authorization } });
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const res = await me(`${scheme} ${token}`);
      expect([scheme, res.statusCode, res.body]).toMatchObject([scheme, 200, { user: { username: 'cache-a' } }]);
    }
    for (const bad of [`Basic ${token}`, `Bearer${token}`, `Bearer ${token} extra`]) {
      expect((await me(bad)).statusCode).toBe(401);
    }
  });
});
