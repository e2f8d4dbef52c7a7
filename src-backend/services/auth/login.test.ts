import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedUser, type LoginResponse } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { INTERNAL_TOKEN_HEADER } from '../../contracts/services.js';
import { ServiceCallError } from '../../shared/service-client.js';
import { ADMIN_PASSWORD, awayFromStepEdge, startAuthHarness, totpCode, type AuthHarness } from './test-support.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';

let h: AuthHarness;
let admin: string;

beforeAll(async () => {
  // Small delays so the growing-delay test does not sleep for seconds.
  h = await startAuthHarness({ LOGIN_BASE_DELAY_MS: '300' });
  admin = await h.adminToken();
});
afterAll(async () => {
  await h?.stack.stop();
});

async function createMember(
  username: string,
  role: 'student' | 'teacher' = 'student',
  password = 'member-password-1',
): Promise<CreatedUser> {
  const res = await h.call<CreatedUser>(
    'POST',
    AuthPaths.users,
    { role, username, name: username, password, ...(role === 'student' ? { group: 'cs-2024' } : {}) },
    admin,
  );
  expect(res.status).toBe(201);
  return res.body;
}
const login = (username: string, password: string, totp: string) =>
  h.call<LoginResponse>('POST', AuthPaths.login, { username, password, totp });

describe('first start', () => {
  it('created admin from ADMIN_PASSWORD, without a forced password change', async () => {
    const me = await h.call('GET', AuthPaths.me, undefined, admin);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      username: 'admin',
      role: 'admin',
      mustChangePassword: false,
      totpEnabled: false,
    });
    expect(me.body.mfaSetupRequired).toBe(false);
  });
});

describe('student and teacher sign-in with TOTP', () => {
  it('signs in with password + current code; the token works for the other services', async () => {
    const s = await createMember('login-ok');
    const res = await login('login-ok', 'member-password-1', totpCode(s.totpSecret));
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'login-ok', role: 'student', group: 'cs-2024' });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    const resolved = await h.stack.client.call(AuthRoutes.resolveSession, {
      body: {
        token: res.body.token,
      },
    });
    expect(resolved.user).toEqual({
      id: s.user.id,
      username: 'login-ok',
      name: 'login-ok',
      role: 'student',
      group: 'cs-2024',
    });
  });

  it('accepts the previous and next step (±1) but refuses codes further off', async () => {
    const t = await createMember('skew', 'teacher');
    await awayFromStepEdge();
    expect((await login('skew', 'member-password-1', totpCode(t.totpSecret, 2))).body.error.code).toBe('INVALID_TOTP');
    expect((await login('skew', 'member-password-1', totpCode(t.totpSecret, -1))).status).toBe(200);
    expect((await login('skew', 'member-password-1', totpCode(t.totpSecret, 1))).status).toBe(200);
  });

  it('refuses a code from a step already used', async () => {
    const s = await createMember('replay');
    const code = totpCode(s.totpSecret);
    expect((await login('replay', 'member-password-1', code)).status).toBe(200);
    const again = await login('replay', 'member-password-1', code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('TOTP_REPLAYED');
  });

  it('of concurrent sign-ins with one code exactly one wins', async () => {
    const s = await createMember('race');
    const code = totpCode(s.totpSecret);
    // 4 = the free failures + 1: as many as the throttle lets one account have in flight.
    const answers = await Promise.all(Array.from({ length: 4 }, () => login('race', 'member-password-1', code)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401 && a.body.error.code === 'TOTP_REPLAYED')).toHaveLength(3);
  });

  it('sends each role to its own route', async () => {
    const s = await createMember('wrong-route');
    const res = await h.call('POST', AuthPaths.loginAdmin, { username: 'wrong-route', password: 'member-password-1' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WRONG_LOGIN_ROUTE');
    const adm = await login('admin', ADMIN_PASSWORD, totpCode(s.totpSecret));
    expect(adm.status).toBe(403);
    expect(adm.body.error.code).toBe('WRONG_LOGIN_ROUTE');
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    for (const body of [
      { username: 'x', password: 'y' },
      { username: 'x', password: 'y', totp: '12345' },
      { username: 'x', password: 'y', totp: { code: '123456' } },
      { username: 'x', password: null, totp: '123456' },
      { username: 'x', password: 'y', totp: '123456', extra: 1 },
      { username: 'x'.repeat(65), password: 'y', totp: '123456' },
    ]) {
      const res = await h.call('POST', AuthPaths.login, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await h.call('POST', AuthPaths.login, '{"username":')).body.error.code).toBe('INVALID_JSON');
    const big = await h.call('POST', AuthPaths.login, {
      username: 'a',
      password: 'p'.repeat(2 * 1024 * 1024),
      totp: '123456',
    });
    expect(big.status).toBe(413);
  });
});

describe('one answer for unknown users and wrong passwords', () => {
  it('same status, code and message, and about the same time', async () => {
    await createMember('timing');
    const unknown = await login('no-such-user', 'whatever-pass', '123456');
    const wrong = await login('timing', 'wrong-password', '123456');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);

    const time = async (username: string) => {
      const t = performance.now();
      await h.call('POST', AuthPaths.loginAdmin, { username, password: 'wrong-password' });
      return performance.now() - t;
    };
    const a: number[] = [];
    const b: number[] = [];
    // Interleaved, and on fresh names so the throttle never kicks in.
    for (let i = 0; i < 3; i++) {
      a.push(await time(`ghost-${i}`));
      b.push(await time('admin'));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[1]!;
    // Both pay one argon2id verification (tens of ms); a skipped hash would be ~1 ms.
    expect(median(a)).toBeGreaterThan(median(b) * 0.25);
    expect(median(b)).toBeGreaterThan(median(a) * 0.25);
  });
});

describe('failed-login throttle', () => {
  it('per account: free failures, then 429 with retry-after and a growing delay', async () => {
    const s = await createMember('throttled');
    for (let i = 0; i < 4; i++) expect((await login('throttled', 'bad-password', '000000')).status).toBe(401);
    const locked = await login('throttled', 'member-password-1', totpCode(s.totpSecret));
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const first = locked.body.error.details.retryAfterSeconds as number;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(0.3);

    await new Promise((r) => setTimeout(r, 350));
    expect((await login('throttled', 'bad-password', '000000')).status).toBe(401);
    const second = (await login('throttled', 'bad-password', '000000')).body.error.details.retryAfterSeconds as number;
    expect(second).toBeGreaterThan(0.3); // doubled: 600 ms
    await new Promise((r) => setTimeout(r, second * 1000 + 50));
    expect((await login('throttled', 'member-password-1', totpCode(s.totpSecret))).status).toBe(200);
  });

  it('counts parallel guesses: of 20 at once only as many are judged as one after another', async () => {
    const s = await createMember('parallel');
    const answers = await Promise.all(Array.from({ length: 20 }, () => login('parallel', 'bad-password', '000000')));
    const judged = answers.filter((a) => a.status === 401);
    // Sequentially the 4th failure (free failures + 1) starts the delay; in parallel it is the same.
    expect(judged).toHaveLength(4);
    expect(judged.every((a) => a.body.error.code === 'INVALID_CREDENTIALS')).toBe(true);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(16);
    expect(limited.every((a) => a.body.error.code === 'RATE_LIMITED' && Number(a.headers['retry-after']) >= 1)).toBe(
      true,
    );
    // The refused ones reserved nothing: once the one delay is over, the right password works.
    let res = await login('parallel', 'member-password-1', totpCode(s.totpSecret));
    for (let i = 0; i < 5 && res.status === 429; i++) {
      await new Promise((r) => setTimeout(r, res.body.error.details.retryAfterSeconds * 1000 + 50));
      res = await login('parallel', 'member-password-1', totpCode(s.totpSecret));
    }
    expect(res.status).toBe(200);
  });

  it('four wrong passwords for admin from four other addresses do not lock the owner out', async () => {
    // The gateway forwards the browser's address with the internal token; auth_node believes it.
    const from = (address: string, password: string) =>
      h.call('POST', AuthPaths.loginAdmin, { username: 'admin', password }, undefined, {
        [INTERNAL_TOKEN_HEADER]: h.stack.config.internalToken,
        'x-forwarded-for': address,
      });
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'])
      expect((await from(address, 'wrong-password')).status).toBe(401);
    expect((await from('198.51.100.7', ADMIN_PASSWORD)).status).toBe(200);
    // The guessing address itself still waits: its delay is per (account, address).
    for (let i = 0; i < 3; i++) await from('203.0.113.1', 'wrong-password');
    expect((await from('203.0.113.1', ADMIN_PASSWORD)).status).toBe(429);
  });

  it('an unknown username is throttled exactly like a real one', async () => {
    for (let i = 0; i < 4; i++) await login('ghost-throttle', 'bad-password', '000000');
    expect((await login('ghost-throttle', 'bad-password', '000000')).status).toBe(429);
  });
});

describe('sessions', () => {
  it('logout kills the token server-side', async () => {
    const s = await createMember('logout');
    const { token } = (await login('logout', 'member-password-1', totpCode(s.totpSecret))).body;
    expect((await h.call('GET', AuthPaths.me, undefined, token)).status).toBe(200);
    expect((await h.call('POST', AuthPaths.logout, undefined, token)).body).toEqual({ loggedOut: true });
    const after = await h.call('GET', AuthPaths.me, undefined, token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('INVALID_SESSION');
    await expect(h.stack.client.call(AuthRoutes.resolveSession, { body: { token } })).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('the resolve route is internal only', async () => {
    const res = await h.call('POST', AuthRoutes.resolveSession.url, { token: await h.adminToken() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INTERNAL_ONLY');
    const bad = await h.stack.client.request('POST', 'auth_node', AuthRoutes.resolveSession.url, { token: 'nope' });
    expect(bad.statusCode).toBe(401);
  });

  it('needs a bearer token on /me and /logout', async () => {
    expect((await h.call('GET', AuthPaths.me)).status).toBe(401);
    expect((await h.call('POST', AuthPaths.logout)).status).toBe(401);
    expect((await h.call('GET', AuthPaths.me, undefined, 'garbage-token')).status).toBe(401);
  });

  it('a disabled account cannot sign in and its sessions end at once', async () => {
    const s = await createMember('disable-me');
    const { token } = (await login('disable-me', 'member-password-1', totpCode(s.totpSecret))).body;
    expect((await h.call('POST', AuthPaths.userDisable(s.user.id), undefined, admin)).body.user.disabled).toBe(true);
    expect((await h.call('GET', AuthPaths.me, undefined, token)).status).toBe(401);
    const again = await login('disable-me', 'member-password-1', totpCode(s.totpSecret, 1));
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await h.call('POST', AuthPaths.userEnable(s.user.id), undefined, admin)).body.user.disabled).toBe(false);
    expect((await login('disable-me', 'member-password-1', totpCode(s.totpSecret, 1))).status).toBe(200);
  });
});

describe('service errors', () => {
  it('ServiceCallError names the service on a refused internal call', async () => {
    const err = await h.stack.client
      .call(AuthRoutes.resolveSession, { body: { token: 'x', extra: 1 } as { token: string } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ service: 'auth_node', statusCode: 400 });
  });
});
