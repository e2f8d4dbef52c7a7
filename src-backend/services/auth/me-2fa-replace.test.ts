import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, TotpEnrollment } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { ADMIN_PASSWORD, awayFromStepEdge, startAuthHarness, totpCode, type AuthHarness } from './test-support.js';

// An admin replaces their own authenticator from the console: password and a current code, then
// a first code from the new secret.
describe('POST /me/2fa/replace', () => {
  let h: AuthHarness;
  beforeAll(async () => {
    h = await startAuthHarness();
  }, 60_000);
  afterAll(async () => h?.stack.stop());

  it('needs 2FA on, the password and a current code; the new secret takes over at confirm', async () => {
    const token = await h.adminToken();
    const notOn = await h.call(
      'POST',
      AuthPaths.meTotpReplace,
      { currentPassword: ADMIN_PASSWORD, totp: '123456' },
      token,
    );
    expect([notOn.status, notOn.body.error.code]).toEqual([409, 'NO_PENDING_TOTP']);

    await awayFromStepEdge(12_000);
    const first = (await h.call<TotpEnrollment>('POST', AuthPaths.meTotpEnroll, undefined, token)).body;
    expect((await h.call('POST', AuthPaths.meTotpConfirm, { totp: totpCode(first.totpSecret) }, token)).status).toBe(
      200,
    );

    const wrongPassword = await h.call(
      'POST',
      AuthPaths.meTotpReplace,
      { currentPassword: 'not-the-password', totp: totpCode(first.totpSecret, 1) },
      token,
    );
    expect([wrongPassword.status, wrongPassword.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const wrongCode = await h.call(
      'POST',
      AuthPaths.meTotpReplace,
      { currentPassword: ADMIN_PASSWORD, totp: totpCode(first.totpSecret, 5) },
      token,
    );
    expect([wrongCode.status, wrongCode.body.error.code]).toEqual([401, 'INVALID_TOTP']);

    const replaced = await h.call<TotpEnrollment>(
      'POST',
      AuthPaths.meTotpReplace,
      { currentPassword: ADMIN_PASSWORD, totp: totpCode(first.totpSecret, 1) },
      token,
    );
    expect(replaced.status).toBe(200);
    const second = replaced.body.totpSecret;
    expect(second).not.toBe(first.totpSecret);
    // The code just used cannot start a second replacement.
    const replay = await h.call(
      'POST',
      AuthPaths.meTotpReplace,
      { currentPassword: ADMIN_PASSWORD, totp: totpCode(first.totpSecret, 1) },
      token,
    );
    expect(replay.body.error.code).toBe('INVALID_TOTP');

    const confirmed = await h.call('POST', AuthPaths.meTotpConfirm, { totp: totpCode(second) }, token);
    expect(confirmed.status).toBe(200);
    const audit = await h.call('GET', `${AuthPaths.audit}?action=totp_replaced`, undefined, token);
    expect(audit.body.items).toHaveLength(1);

    const oldCode = await h.call('POST', AuthPaths.loginAdmin, {
      username: 'admin',
      password: ADMIN_PASSWORD,
      totp: totpCode(first.totpSecret, 1),
    });
    expect(oldCode.body.error.code).toBe('INVALID_TOTP');
    const newCode = await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, {
      username: 'admin',
      password: ADMIN_PASSWORD,
      totp: totpCode(second, 1),
    });
    expect(newCode.status).toBe(200);
    // With 2FA on and nothing pending, confirm still refuses.
    const again = await h.call('POST', AuthPaths.meTotpConfirm, { totp: totpCode(second) }, token);
    expect(again.body.error.code).toBe('TOTP_ALREADY_ENABLED');
  });
});
