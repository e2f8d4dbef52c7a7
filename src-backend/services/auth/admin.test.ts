import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkCreateResponse, type CreatedUser, type LoginResponse } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { ADMIN_PASSWORD, startAuthHarness, totpCode, type AuthHarness } from './test-support.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';

let h: AuthHarness;
let admin: string;
let student: string;
let teacher: string;

async function create(body: Record<string, unknown>) {
  return h.call<CreatedUser>('POST', AuthPaths.users, body, admin);
}
async function memberToken(username: string, role: 'student' | 'teacher'): Promise<string> {
  const c = await create({ role, username, name: username, password: 'member-password-1' });
  const res = await h.call<LoginResponse>('POST', AuthPaths.login, {
    username,
    password: 'member-password-1',
    totp: totpCode(c.body.totpSecret),
  });
  return res.body.token;
}

beforeAll(async () => {
  h = await startAuthHarness();
  admin = await h.adminToken();
  student = await memberToken('plain-student', 'student');
  teacher = await memberToken('plain-teacher', 'teacher');
});
afterAll(async () => {
  await h?.stack.stop();
});

describe('admin routes refuse other roles', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', AuthPaths.users],
    ['GET', AuthPaths.user(1)],
    ['POST', AuthPaths.users, { role: 'student', username: 'sneaky', name: 'S' }],
    ['POST', AuthPaths.usersBulk, { users: [{ role: 'student', username: 'sneaky2', name: 'S' }] }],
    ['POST', AuthPaths.userDisable(1)],
    ['POST', AuthPaths.userEnable(1)],
    ['DELETE', AuthPaths.user(1)],
    ['GET', AuthPaths.codes],
    ['POST', AuthPaths.codeRevoke(1)],
    ['GET', AuthPaths.audit],
    ['POST', AuthPaths.generateRegistrationCode, { userType: 'student', maxUses: 1 }],
    ['POST', AuthPaths.generateResetCode, { username: 'admin' }],
    ['POST', AuthPaths.addAdmin, { username: 'evil-admin', name: 'E', password: 'long-enough-1' }],
  ];
  it.each(routes)('%s %s: 401 without a token, 403 for a student and a teacher', async (method, path, body) => {
    const m = method as 'GET' | 'POST' | 'DELETE';
    expect((await h.call(m, path, body)).status).toBe(401);
    for (const token of [student, teacher]) {
      const res = await h.call(m, path, body, token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('self-service: everyone has /me, TOTP enrolment is for admins (students and teachers get theirs at creation)', async () => {
    for (const token of [student, teacher]) {
      expect((await h.call('GET', AuthPaths.me, undefined, token)).status).toBe(200);
      expect((await h.call('POST', AuthPaths.meTotpEnroll, undefined, token)).status).toBe(403);
      expect((await h.call('POST', AuthPaths.meTotpConfirm, { totp: '123456' }, token)).status).toBe(403);
    }
    expect((await h.call('POST', AuthPaths.meTotpEnroll)).status).toBe(401);
  });

  it('nothing was created by the refused calls', async () => {
    const res = await h.call('GET', `${AuthPaths.users}?search=sneaky`, undefined, admin);
    expect(res.body.total).toBe(0);
  });
});

describe('creating users', () => {
  it('with a generated password: shown once, must be changed before the account works elsewhere', async () => {
    const res = await create({
      role: 'student',
      username: 'gen-student',
      name: 'Gen',
      email: 'gen@example.org',
      group: 'cs-2024',
    });
    expect(res.status).toBe(201);
    const { initialPassword, totpSecret, otpauthUri, user } = res.body;
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{17}$/);
    expect(otpauthUri).toContain(`secret=${totpSecret}`);
    expect(user).toMatchObject({
      role: 'student',
      group: 'cs-2024',
      mustChangePassword: true,
      totpEnabled: true,
      email: 'gen@example.org',
    });
    const got = await h.call('GET', AuthPaths.user(user.id), undefined, admin);
    expect(got.body.user).toEqual(user);
    expect(JSON.stringify(got.body)).not.toContain(initialPassword!);

    const signIn = await h.call<LoginResponse>('POST', AuthPaths.login, {
      username: 'gen-student',
      password: initialPassword,
      totp: totpCode(totpSecret),
    });
    expect(signIn.status).toBe(200);
    const blocked = await h.stack.client.request<{ error: { code: string } }>(
      'POST',
      'auth_node',
      AuthRoutes.resolveSession.url,
      { token: signIn.body.token },
    );
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await h.call(
      'POST',
      AuthPaths.mePassword,
      { currentPassword: initialPassword, newPassword: 'my-own-password' },
      signIn.body.token,
    );
    expect(changed.status).toBe(200);
    expect(
      (await h.stack.client.request('POST', 'auth_node', AuthRoutes.resolveSession.url, { token: signIn.body.token }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses duplicates (409, any case), teachers with a group, unknown fields and bad values', async () => {
    expect((await create({ role: 'teacher', username: 'dup-user', name: 'D', password: 'long-enough-1' })).status).toBe(
      201,
    );
    const dup = await create({ role: 'student', username: 'DUP-USER', name: 'D' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('USERNAME_TAKEN');
    expect((await create({ role: 'teacher', username: 'grp-teacher', name: 'T', group: 'cs' })).status).toBe(400);
    for (const body of [
      { role: 'admin', username: 'as-admin', name: 'A' },
      { role: 'student', username: 'x', name: 'too short name ok' },
      { role: 'student', username: 'bad name', name: 'N' },
      { role: 'student', username: 'ok-name', name: '' },
      { role: 'student', username: 'ok-name', name: 'N', email: 'not-an-email' },
      { role: 'student', username: 'ok-name', name: 'N', password: 'short' },
      { role: 'student', username: 'ok-name', name: 'N', isAdmin: true },
      // control and bidi characters in names and emails (a clear-screen, a right-to-left override)
      { role: 'student', username: 'ok-name', name: 'N\u001b[2J' },
      { role: 'student', username: 'ok-name', name: 'N\u202eevil' },
      { role: 'student', username: 'ok-name', name: 'N\u0085' },
      { role: 'student', username: 'ok-name', name: 'N', email: 'n\u001b@example.org' },
      { role: 'student', username: 'ok-name', name: 'N', email: 'n\u2067@example.org' },
    ]) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.call('GET', `${AuthPaths.users}?search=ok-name`, undefined, admin)).body.total).toBe(0);
  });

  it('POST /add/admin creates an admin who can sign in; duplicates are 409', async () => {
    const res = await h.call(
      'POST',
      AuthPaths.addAdmin,
      { username: 'second-admin', name: 'Two', password: 'another-admins-pw' },
      admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'admin', totpEnabled: false });
    expect(
      (await h.call('POST', AuthPaths.loginAdmin, { username: 'second-admin', password: 'another-admins-pw' })).status,
    ).toBe(200);
    expect(
      (
        await h.call(
          'POST',
          AuthPaths.addAdmin,
          { username: 'second-admin', name: 'Two', password: 'another-admins-pw' },
          admin,
        )
      ).status,
    ).toBe(409);
  });
});

describe('bulk create', () => {
  it('reports per row and keeps the good rows', async () => {
    const res = await h.call<BulkCreateResponse>(
      'POST',
      AuthPaths.usersBulk,
      {
        users: [
          { role: 'student', username: 'bulk-1', name: 'B1', group: 'g1' },
          { role: 'student', username: 'bulk-1', name: 'dup in batch' },
          { role: 'teacher', username: 'bulk-2', name: 'B2', password: 'given-password', email: '' },
          { role: 'janitor', username: 'bulk-3', name: 'B3' },
          { role: 'student', username: 'dup-user', name: 'taken in db' },
          { role: ' Student ', username: ' bulk-4 ', name: ' B4 ', group: null, email: null, password: null },
          { role: 'student', username: 'bulk-5', name: 'B5\u001b[2J' },
        ],
      },
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(3);
    expect(res.body.failed).toBe(4);
    expect(res.body.results.map((r) => (r.ok ? 'ok' : r.error!.code))).toEqual([
      'ok',
      'USERNAME_TAKEN',
      'ok',
      'VALIDATION_FAILED',
      'USERNAME_TAKEN',
      'ok',
      'VALIDATION_FAILED',
    ]);
    expect(res.body.results[6]!.error!.message).toBe('name contains a control or text-direction character');
    expect(res.body.results[0]!.initialPassword).toBeTruthy();
    expect(res.body.results[2]!.initialPassword).toBeUndefined();
    expect(res.body.results[5]!.username).toBe('bulk-4');
    const teacherLogin = await h.call('POST', AuthPaths.login, {
      username: 'bulk-2',
      password: 'given-password',
      totp: totpCode(res.body.results[2]!.totpSecret!),
    });
    expect(teacherLogin.status).toBe(200);
    expect(teacherLogin.body.user.mustChangePassword).toBe(false);
  });

  it(
    'hashing given passwords does not stall other requests: health and sign-ins finish first',
    { timeout: 60_000 },
    async () => {
      // 100 argon2id hashes, 2 at a time (BULK_HASH_CONCURRENCY): a few seconds of work here.
      const users = Array.from({ length: 100 }, (_, i) => ({
        role: 'student',
        username: `stall-${i}`,
        name: `S${i}`,
        password: `stall-password-${i}`,
      }));
      const finished: string[] = [];
      const bulk = h.call<BulkCreateResponse>('POST', AuthPaths.usersBulk, { users }, admin).then((res) => {
        finished.push('bulk');
        return res;
      });
      // A moment for the import to pass the admin check and start hashing; the rounds below then
      // run while it hashes (a hasher on the event loop would hold them until it was done).
      await new Promise((r) => setTimeout(r, 300));
      for (let round = 0; round < 3; round++) {
        const health = await h.call('GET', '/health');
        expect(health.status).toBe(200);
        finished.push(`health-${round}`);
        const signIn = await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, {
          username: 'admin',
          password: ADMIN_PASSWORD,
        });
        expect(signIn.status).toBe(200);
        finished.push(`login-${round}`);
      }
      const res = await bulk;
      expect(res.status).toBe(200);
      expect(res.body.created).toBe(100);
      expect(finished).toEqual(['health-0', 'login-0', 'health-1', 'login-1', 'health-2', 'login-2', 'bulk']);
    },
  );

  it('atomic: one bad row rejects the whole batch, naming the rows', async () => {
    const res = await h.call(
      'POST',
      AuthPaths.usersBulk,
      {
        atomic: true,
        users: [
          { role: 'student', username: 'atomic-1', name: 'A1' },
          { role: 'student', username: 'bulk-1', name: 'taken' },
          { role: 'student', username: 'atomic-2', name: 'A2' },
        ],
      },
      admin,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BULK_REJECTED');
    expect(res.body.error.details.results).toEqual([
      expect.objectContaining({ row: 1, username: 'bulk-1', ok: false }),
    ]);
    const invalid = await h.call(
      'POST',
      AuthPaths.usersBulk,
      {
        atomic: true,
        users: [
          { role: 'student', username: 'atomic-3', name: 'A3' },
          { role: 'x', username: 'atomic-4', name: 'A4' },
        ],
      },
      admin,
    );
    expect(invalid.status).toBe(409);
    expect(invalid.body.error.details.results[0].row).toBe(1);
    expect((await h.call('GET', `${AuthPaths.users}?search=atomic`, undefined, admin)).body.total).toBe(0);
  });

  it('refuses an empty list, too many rows and unknown fields', async () => {
    expect((await h.call('POST', AuthPaths.usersBulk, { users: [] }, admin)).status).toBe(400);
    expect(
      (
        await h.call(
          'POST',
          AuthPaths.usersBulk,
          { users: [{ role: 'student', username: 'u-x', name: 'X', admin: true }] },
          admin,
        )
      ).status,
    ).toBe(400);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ role: 'student', username: `many-${i}`, name: 'M' }));
    expect((await h.call('POST', AuthPaths.usersBulk, { users: many }, admin)).status).toBe(400);
  });
});

describe('listing, disabling and deleting', () => {
  it('lists per role with search, paging and sort; LIKE wildcards and SQL are literal', async () => {
    await h.call(
      'POST',
      AuthPaths.usersBulk,
      {
        users: ['list_a', 'list-b', 'list-c', 'listxd'].map((username, i) => ({
          role: 'student',
          username,
          name: `Name ${i}`,
          password: 'list-password',
        })),
      },
      admin,
    );
    const page = await h.call(
      'GET',
      `${AuthPaths.users}?role=student&search=list&sort=username&order=desc&pageSize=2&page=2`,
      undefined,
      admin,
    );
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(page.body.items.map((u: { username: string }) => u.username)).toEqual(['list-c', 'list-b']);
    const underscore = await h.call(
      'GET',
      `${AuthPaths.users}?search=${encodeURIComponent('list_')}`,
      undefined,
      admin,
    );
    expect(underscore.body.items.map((u: { username: string }) => u.username)).toEqual(['list_a']);
    const sql = await h.call('GET', `${AuthPaths.users}?search=${encodeURIComponent("' OR 1=1 --")}`, undefined, admin);
    expect(sql.body.total).toBe(0);
    for (const q of [
      'sort=password_hash',
      'sort=id;DROP',
      'order=sideways',
      'pageSize=0',
      'pageSize=501',
      'page=0',
      'role=root',
      'bogus=1',
    ]) {
      expect((await h.call('GET', `${AuthPaths.users}?${q}`, undefined, admin)).status, q).toBe(400);
    }
  });

  it('disable ends sessions, enable restores sign-in, delete removes; never yourself or a missing id', async () => {
    const c = await create({ role: 'teacher', username: 'short-lived', name: 'S', password: 'member-password-1' });
    const id = c.body.user.id;
    const token = (
      await h.call('POST', AuthPaths.login, {
        username: 'short-lived',
        password: 'member-password-1',
        totp: totpCode(c.body.totpSecret),
      })
    ).body.token;
    expect((await h.call('POST', AuthPaths.userDisable(id), undefined, admin)).status).toBe(200);
    expect((await h.call('GET', AuthPaths.me, undefined, token)).status).toBe(401);
    expect((await h.call('GET', `${AuthPaths.users}?disabled=true&search=short`, undefined, admin)).body.total).toBe(1);
    expect((await h.call('DELETE', AuthPaths.user(id), undefined, admin)).body).toEqual({ deleted: true, id });
    expect((await h.call('GET', AuthPaths.user(id), undefined, admin)).body.error.code).toBe('USER_NOT_FOUND');
    expect((await h.call('DELETE', AuthPaths.user(id), undefined, admin)).status).toBe(404);
    expect((await h.call('POST', AuthPaths.userDisable(999_999), undefined, admin)).status).toBe(404);
    expect((await h.call('GET', '/admin/users/abc', undefined, admin)).status).toBe(400);

    const me = (await h.call('GET', AuthPaths.me, undefined, admin)).body.user;
    expect((await h.call('POST', AuthPaths.userDisable(me.id), undefined, admin)).body.error.code).toBe('SELF_ACTION');
    expect((await h.call('DELETE', AuthPaths.user(me.id), undefined, admin)).body.error.code).toBe('SELF_ACTION');
  });

  it('writes who did what to the audit log', async () => {
    const res = await h.call('GET', `${AuthPaths.audit}?limit=200`, undefined, admin);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    for (const a of ['user_created', 'users_imported', 'user_disabled', 'user_deleted', 'admin_added', 'admin_login'])
      expect(actions).toContain(a);
    expect(res.body.items.find((e: { action: string }) => e.action === 'user_deleted')).toMatchObject({
      actor: 'admin',
      target: 'short-lived',
    });
  });
});
