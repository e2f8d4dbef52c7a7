import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { INTERNAL_TOKEN_HEADER } from '../../contracts/services.js';
import type { App } from '../../shared/create-app.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { buildAuthApp } from './app.js';

// auth_node in-process (so inject can set the peer address) over a real data_node process.
let stack: TestStack;
let app: App;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node'] });
  ({ app } = await buildAuthApp({
    config: stack.config,
    client: stack.client,
    settings: { throttle: { addressLimit: 3, freeFailures: 100 } },
  }));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const attempt = (username: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: AuthPaths.loginAdmin,
    remoteAddress,
    headers,
    payload: { username, password: 'wrong-password' },
  });

describe('per-address throttle', () => {
  it('caps failures from one address across many usernames', async () => {
    for (const name of ['a-one', 'a-two', 'a-three']) expect((await attempt(name, '10.1.1.1')).statusCode).toBe(401);
    const limited = await attempt('a-four', '10.1.1.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('a-four', '10.1.1.2')).statusCode).toBe(401);
  });

  it('counts guesses in flight: of 10 parallel ones from one address only the limit is judged', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`p-${i}`, '10.4.4.4')));
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(3);
    const limited = answers.filter((a) => a.statusCode === 429);
    expect(limited).toHaveLength(7);
    expect(limited.every((a) => a.json().error.code === 'RATE_LIMITED')).toBe(true);
  });

  it('ignores x-forwarded-for from an untrusted caller, so rotating it does not help', async () => {
    for (let i = 0; i < 3; i++) await attempt(`b-${i}`, '10.2.2.2', { 'x-forwarded-for': `192.0.2.${i}` });
    expect((await attempt('b-9', '10.2.2.2', { 'x-forwarded-for': '192.0.2.99' })).statusCode).toBe(429);
  });

  it('believes x-forwarded-for from another service (internal token)', async () => {
    const internal = { [INTERNAL_TOKEN_HEADER]: stack.config.internalToken };
    for (let i = 0; i < 3; i++) await attempt(`c-${i}`, '10.3.3.3', { ...internal, 'x-forwarded-for': '198.51.100.1' });
    expect((await attempt('c-9', '10.3.3.3', { ...internal, 'x-forwarded-for': '198.51.100.1' })).statusCode).toBe(429);
    expect((await attempt('c-9', '10.3.3.3', { ...internal, 'x-forwarded-for': '198.51.100.2' })).statusCode).toBe(401);
  });
});
