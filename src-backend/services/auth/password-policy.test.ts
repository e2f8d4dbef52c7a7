import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkCreateResponse, type GeneratedCode } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { ADMIN_PASSWORD, startAuthHarness, type AuthHarness } from './test-support.js';

// Every place a password is chosen, against a real auth_node and data_node.
let h: AuthHarness;
let admin: string;

beforeAll(async () => {
  h = await startAuthHarness();
  admin = await h.adminToken();
});
afterAll(async () => {
  await h?.stack.stop();
});

const refusal = (res: { status: number; body: { error: { code: string; message: string } } }) => [
  res.status,
  res.body.error?.code,
  res.body.error?.message,
];

describe('password policy', () => {
  it('/register refuses a common password with a 400 that names the reason, and uses no code', async () => {
    const gen = await h.call<GeneratedCode>(
      'POST',
      AuthPaths.generateRegistrationCode,
      { userType: 'student', maxUses: 1 },
      admin,
    );
    const register = (username: string, password: string) =>
      h.call('POST', AuthPaths.register, {
        code: gen.body.code,
        username,
        name: 'N',
        email: 'n@example.org',
        password,
      });
    expect(refusal(await register('pol-reg', 'password123'))).toEqual([
      400,
      'PASSWORD_REJECTED',
      'password is too common',
    ]);
    expect(refusal(await register('pol-reg', 'Pol-Reg-2026!'))).toEqual([
      400,
      'PASSWORD_REJECTED',
      'password contains the username',
    ]);
    expect(refusal(await register('pol-reg', 'evil\u001b[2Jpass'))).toEqual([
      400,
      'PASSWORD_REJECTED',
      'password contains a control character',
    ]);
    expect((await register('pol-reg', 'a-fine-long-passphrase')).status).toBe(201); // the code was still unused
  });

  it('adding a user or an admin, and each row of an import, follow the same rule', async () => {
    const add = await h.call(
      'POST',
      AuthPaths.users,
      { role: 'teacher', username: 'pol-t', name: 'T', password: 'qwertyuiop' },
      admin,
    );
    expect(refusal(add)).toEqual([400, 'PASSWORD_REJECTED', 'password is too common']);
    const addAdmin = await h.call(
      'POST',
      AuthPaths.addAdmin,
      { username: 'pol-admin', name: 'A', password: 'x-POL-ADMIN-x' },
      admin,
    );
    expect(refusal(addAdmin)).toEqual([400, 'PASSWORD_REJECTED', 'password contains the username']);

    const bulk = await h.call<BulkCreateResponse>(
      'POST',
      AuthPaths.usersBulk,
      {
        users: [
          { role: 'student', username: 'pol-b1', name: 'B1', password: 'iloveyou1' },
          { role: 'student', username: 'pol-b2', name: 'B2', password: 'a-fine-long-passphrase' },
        ],
      },
      admin,
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r) => (r.ok ? 'ok' : `${r.error!.code}: ${r.error!.message}`))).toEqual([
      'PASSWORD_REJECTED: password is too common',
      'ok',
    ]);
  });

  it('a password change is held to it too', async () => {
    const change = (newPassword: string) =>
      h.call('POST', AuthPaths.mePassword, { currentPassword: ADMIN_PASSWORD, newPassword }, admin);
    expect(refusal(await change('Password1'))).toEqual([400, 'PASSWORD_REJECTED', 'password is too common']);
    expect(refusal(await change('the-admin-password'))).toEqual([
      400,
      'PASSWORD_REJECTED',
      'password contains the username',
    ]);
  });
});
