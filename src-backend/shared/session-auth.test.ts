import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityPaths, type DataBulkSessionsResponse } from '../contracts/auth.js';
import { mintSessions, seedUsers } from '../services/queue/testing/seed.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { AppError } from './app-error.js';
import { ConfigError } from './config.js';
import { createSessionResolver, sessionCacheMsFromEnv } from './session-auth.js';

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
}, 60_000);
afterAll(async () => {
  await stack?.stop();
}, 30_000);

const revokeToken = (token: string) => stack.client.post('data_node', IdentityPaths.sessionsRevoke, { token });
const revokeUser = (userId: number) => stack.client.post('data_node', IdentityPaths.sessionsRevoke, { userId });
const refused = (p: Promise<unknown>) =>
  expect(p).rejects.toSatisfy((e) => e instanceof AppError && e.statusCode === 401 && e.code === 'INVALID_SESSION');

describe('createSessionResolver', () => {
  it('never trusts a cached session past its own expiry, however long the cache', async () => {
    const resolver = createSessionResolver(stack.client, { ttlMs: 60_000 });
    // a session that dies in 2 s (absolute expiry), resolved while it lives
    const res = await stack.client.post<DataBulkSessionsResponse>('data_node', IdentityPaths.sessionsBulk, {
      userIds: [ids[1]!],
      idleSeconds: 3600,
      absoluteSeconds: 2,
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
