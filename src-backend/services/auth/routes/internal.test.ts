import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_TOKEN_HEADER } from '../../../contracts/services.js';
import { type SessionResolveBatchResponse } from '../../../contracts/session.js';
import type { App } from '../../../shared/create-app.js';
import { mintSessions, seedUsers } from '../../queue/testing/seed.js';
import { startStack, type TestStack } from '../../../testing/stack.js';
import { buildAuthApp } from '../app.js';
import { DataIdentityRoutes } from '../../../contracts/routes/data-identity.js';
import { AuthRoutes } from '../../../contracts/routes/auth.js';

// auth_node in-process (inject) over a real data_node process, with admin 2FA required.
let stack: TestStack;
let app: App;
let internal: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node'] });
  ({ app } = await buildAuthApp({ config: stack.config, client: stack.client, settings: { requireAdmin2fa: true } }));
  internal = { [INTERNAL_TOKEN_HEADER]: stack.config.internalToken };
}, 60_000);
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const inject = async (url: string, payload: unknown, headers = internal) => {
  const res = await app.inject({ method: 'POST', url, payload: payload as object, headers });
  return { status: res.statusCode, body: res.json() };
};

describe('POST /internal/sessions/resolve-batch', () => {
  it('answers each token in order with the user or the error the single route gives it', async () => {
    const users = await seedUsers(stack.client, [
      { role: 'student', username: 'rb-live', name: 'Live', group: 'cs' },
      { role: 'student', username: 'rb-expired', name: 'Expired', group: 'cs' },
      { role: 'student', username: 'rb-disabled', name: 'Disabled', group: 'cs' },
      { role: 'teacher', username: 'rb-newpass', name: 'New Password', mustChangePassword: true },
      { role: 'admin', username: 'rb-admin', name: 'No TOTP' },
    ]);
    const [live, expired, disabled, newPass, admin] = users.map((u) => u.id);
    const [tLive, tDisabled, tNewPass, tAdmin] = await mintSessions(stack.client, [live!, disabled!, newPass!, admin!]);
    const short = await stack.client.call(DataIdentityRoutes.createSessions, {
      body: {
        userIds: [expired!],
        absoluteSeconds: 1,
      },
    });
    const tExpired = short.sessions[0]!.token;
    await stack.client.call(DataIdentityRoutes.updateUser, { params: { id: disabled! }, body: { disabled: true } });
    await new Promise((r) => setTimeout(r, 1100)); // the 1 s session is over

    const tokens = [tLive!, 'never-issued', tExpired, tDisabled!, tNewPass!, tAdmin!, tLive!];
    const res = await inject(AuthRoutes.resolveSessions.url, { tokens });
    expect(res.status).toBe(200);
    const { results } = res.body as SessionResolveBatchResponse;
    expect(results).toHaveLength(tokens.length);
    expect(results[0]).toEqual({
      user: { id: live, username: 'rb-live', name: 'Live', role: 'student', group: 'cs' },
      expiresAt: expect.any(String),
    });
    expect(results[6]).toEqual(results[0]);
    const codes = results.map((r) => ('error' in r ? `${r.error.status} ${r.error.code}` : 'ok'));
    expect(codes).toEqual([
      'ok',
      '401 INVALID_SESSION',
      '401 INVALID_SESSION',
      '401 INVALID_SESSION',
      '403 PASSWORD_CHANGE_REQUIRED',
      '403 MFA_SETUP_REQUIRED',
      'ok',
    ]);

    // the same answers, token by token, from the single route
    for (const [i, token] of tokens.entries()) {
      const single = await inject(AuthRoutes.resolveSession.url, { token });
      const r = results[i]!;
      if ('error' in r) {
        expect(single.status).toBe(r.error.status);
        expect(single.body.error).toEqual({ code: r.error.code, message: r.error.message });
      } else {
        expect(single.status).toBe(200);
        expect(single.body.user).toEqual(r.user);
      }
    }
  });

  it('refuses more than 1000 tokens, an empty list and calls without the internal token', async () => {
    const [token] = await mintSessions(stack.client, [
      (await seedUsers(stack.client, [{ role: 'student', username: 'rb-cap', name: 'Cap', group: 'cs' }]))[0]!.id,
    ]);
    for (const tokens of [Array.from({ length: 1001 }, () => token!), []]) {
      const res = await inject(AuthRoutes.resolveSessions.url, { tokens });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const outsider = await inject(AuthRoutes.resolveSessions.url, { tokens: [token!] }, {});
    expect(outsider.status).toBe(401);
    expect(outsider.body.error.code).toBe('INTERNAL_ONLY');
    const full = await inject(AuthRoutes.resolveSessions.url, { tokens: Array.from({ length: 1000 }, () => token!) });
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(1000);
    expect(full.body.results.every((r: { user?: { username: string } }) => r.user?.username === 'rb-cap')).toBe(true);
  });
});
