import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoginResponse } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { startAuthHarness, totpCode, type AuthHarness } from './test-support.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import { DataIdentityRoutes } from '../../contracts/routes/data-identity.js';

let h: AuthHarness;

beforeAll(async () => {
  // No ADMIN_PASSWORD: a random one is printed once. REQUIRE_ADMIN_2FA: TOTP is mandatory.
  h = await startAuthHarness({ ADMIN_PASSWORD: '', REQUIRE_ADMIN_2FA: 'true' });
});
afterAll(async () => {
  await h?.stack.stop();
});

function printedPasswords(): string[] {
  return h.stack.terminal
    .map((line) => /^\s*password: (\S+)\s*$/.exec(line)?.[1])
    .filter((p): p is string => p !== undefined);
}

describe('first start without ADMIN_PASSWORD, admin 2FA required', () => {
  it('walks the whole first-run path: printed password → change it → enrol TOTP → sign in with TOTP', async () => {
    const printed = printedPasswords();
    expect(printed).toHaveLength(1);
    const password = printed[0]!;
    // The log says it happened, never what the password is.
    const logs = h.stack.supervisor.recentLogs(5000);
    expect(logs.find((r) => r.msg.includes('one-time password'))?.msg).toContain('shown in the terminal only');
    expect(logs.filter((r) => r.msg.includes(password))).toEqual([]);

    // No default password works.
    for (const guess of ['admin', 'password', 'changeme']) {
      expect((await h.call('POST', AuthPaths.loginAdmin, { username: 'admin', password: guess })).status).toBe(401);
    }

    const first = await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, { username: 'admin', password });
    expect(first.status).toBe(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    expect(first.body.mfaSetupRequired).toBe(true);
    const token = first.body.token;

    // Until set-up is done the session only opens the first-run routes.
    const blocked = await h.call('GET', AuthPaths.users, undefined, token);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const resolve = await h.stack.client.request<{ error: { code: string } }>(
      'POST',
      'auth_node',
      AuthRoutes.resolveSession.url,
      { token },
    );
    expect(resolve.statusCode).toBe(403);
    expect(resolve.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const wrongCurrent = await h.call(
      'POST',
      AuthPaths.mePassword,
      { currentPassword: 'nope', newPassword: 'a-new-password' },
      token,
    );
    expect(wrongCurrent.status).toBe(401);
    const tooShort = await h.call(
      'POST',
      AuthPaths.mePassword,
      { currentPassword: password, newPassword: 'short' },
      token,
    );
    expect(tooShort.status).toBe(400);
    const changed = await h.call(
      'POST',
      AuthPaths.mePassword,
      { currentPassword: password, newPassword: 'a-new-password' },
      token,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);

    const stillBlocked = await h.call('GET', AuthPaths.users, undefined, token);
    expect(stillBlocked.body.error.code).toBe('MFA_SETUP_REQUIRED');

    expect((await h.call('POST', AuthPaths.meTotpConfirm, { totp: '123456' }, token)).body.error.code).toBe(
      'NO_PENDING_TOTP',
    );
    const enrol = await h.call('POST', AuthPaths.meTotpEnroll, undefined, token);
    expect(enrol.status).toBe(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Course%20Selection:admin\?/);
    expect(enrol.body.otpauthUri).toContain(`secret=${enrol.body.totpSecret}`);
    expect(enrol.body.otpauthUri).toContain('issuer=Course%20Selection');
    const secret = enrol.body.totpSecret as string;
    expect((await h.call('POST', AuthPaths.meTotpConfirm, { totp: totpCode(secret, 3) }, token)).body.error.code).toBe(
      'INVALID_TOTP',
    );
    // kept: the replay below must send this very code, even if a 30 s step has begun meanwhile
    const confirmCode = totpCode(secret);
    const confirmed = await h.call('POST', AuthPaths.meTotpConfirm, { totp: confirmCode }, token);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user.totpEnabled).toBe(true);
    expect((await h.call('POST', AuthPaths.meTotpEnroll, undefined, token)).body.error.code).toBe(
      'TOTP_ALREADY_ENABLED',
    );
    expect((await h.call('GET', AuthPaths.users, undefined, token)).status).toBe(200);

    // From now on the admin signs in with the new password and a TOTP code.
    const noCode = await h.call('POST', AuthPaths.loginAdmin, { username: 'admin', password: 'a-new-password' });
    expect(noCode.body.error.code).toBe('TOTP_REQUIRED');
    // asking for the code is not a failed attempt: the throttle does not count it
    for (let i = 0; i < 5; i++) {
      expect(
        (await h.call('POST', AuthPaths.loginAdmin, { username: 'admin', password: 'a-new-password' })).status,
      ).toBe(401);
    }
    const replay = await h.call('POST', AuthPaths.loginAdmin, {
      username: 'admin',
      password: 'a-new-password',
      totp: confirmCode,
    });
    expect(replay.body.error.code).toBe('TOTP_REPLAYED'); // the confirming code's step is spent
    const ok = await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, {
      username: 'admin',
      password: 'a-new-password',
      totp: totpCode(secret, 1),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.mfaSetupRequired).toBe(false);
  });

  it('a restart on a non-empty database creates nothing and prints no password', async () => {
    await h.stack.supervisor.restart('auth_node');
    expect(printedPasswords()).toHaveLength(1);
    const admins = await h.stack.client.call(DataIdentityRoutes.listUsers, { query: { role: 'admin' } });
    expect(admins.total).toBe(1);
  });
});

describe('first start with a weak ADMIN_PASSWORD', () => {
  it('a common password stops auth_node with one line naming ADMIN_PASSWORD and the reason', async () => {
    const failed = await startAuthHarness({ ADMIN_PASSWORD: 'password123' }).then(
      async (started) => {
        await started.stack.stop();
        return null;
      },
      (err: unknown) => err as Error,
    );
    expect(failed?.message).toMatch(/ADMIN_PASSWORD: password is too common/);
  });
});
