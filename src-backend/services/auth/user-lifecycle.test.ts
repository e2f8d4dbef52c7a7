import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditList, CreatedUser, GeneratedCode, LoginResponse, TotpEnrollment } from '../../contracts/auth.js';
import { AuthPaths, AuthRoutes } from '../../contracts/routes/auth.js';
import { DataCourseRoutes } from '../../contracts/routes/data-courses.js';
import type {
  BulkActionResponse,
  ResetPasswordResponse,
  SessionList,
  UpdatedUser,
  UserWithDetail,
} from '../../contracts/user-lifecycle.js';
import { ADMIN_PASSWORD, awayFromStepEdge, startAuthHarness, totpCode, type AuthHarness } from './test-support.js';

const PASSWORD = 'member-password-1';
let h: AuthHarness;
let admin: string;
let adminId: number;
let seq = 0;

interface Member {
  id: number;
  username: string;
  totpSecret: string;
}

async function member(role: 'student' | 'teacher', group?: string): Promise<Member> {
  const username = `${role}-${++seq}`;
  const res = await h.call<CreatedUser>(
    'POST',
    AuthPaths.users,
    {
      role,
      username,
      name: `Name ${seq}`,
      email: `${username}@example.edu`,
      password: PASSWORD,
      ...(group ? { group } : {}),
    },
    admin,
  );
  expect(res.status).toBe(201);
  return { id: res.body.user.id, username, totpSecret: res.body.totpSecret };
}

/** Each sign-in spends a TOTP step, so a second one for the same user uses the next step's code. */
async function signIn(m: Member, opts: { password?: string; step?: number; userAgent?: string } = {}) {
  return h.call<LoginResponse>(
    'POST',
    AuthPaths.login,
    { username: m.username, password: opts.password ?? PASSWORD, totp: totpCode(m.totpSecret, opts.step ?? 0) },
    undefined,
    opts.userAgent ? { 'user-agent': opts.userAgent } : {},
  );
}
const meStatus = async (token: string) => (await h.call('GET', AuthPaths.me, undefined, token)).status;
const detailOf = async (id: number) => (await h.call<UserWithDetail>('GET', AuthPaths.user(id), undefined, admin)).body;
const patch = (id: number, body: unknown, token = admin) =>
  h.call<UpdatedUser>('PATCH', AuthPaths.user(id), body, token);
async function auditDetails(action: string): Promise<string[]> {
  const res = await h.call<AuditList>('GET', `${AuthPaths.audit}?limit=500`, undefined, admin);
  return res.body.items.filter((e) => e.action === action).map((e) => `${e.target}: ${e.detail}`);
}

let courses = 0;
/** A course in a slot of its own, so one student can hold any number of them. */
async function course(code: string, allowedGroups: string[]): Promise<number> {
  const n = courses++;
  const hour = String(7 + (n % 14)).padStart(2, '0');
  const slots = [{ day: 1 + (Math.floor(n / 14) % 5), start: `${hour}:00`, end: `${hour}:30` }];
  const res = await h.stack.client.call(DataCourseRoutes.create, {
    body: {
      actor: { userId: adminId, role: 'admin' },
      course: { code, name: code, capacity: 10, credits: 1, slots, allowedGroups },
    },
  });
  return res.course.id;
}
async function enrol(studentId: number, courseIds: number[], group: string | null = 'cs-2024'): Promise<void> {
  await h.stack.client.call(DataCourseRoutes.openWindow, { body: { actor: { userId: adminId, role: 'admin' } } });
  const res = await h.stack.client.call(DataCourseRoutes.queueSubmit, {
    body: {
      requests: courseIds.map((courseId) => ({
        requestId: `r-${++seq}-abcdefgh`,
        studentId,
        courseId,
        action: 'select' as const,
        group,
      })),
      maxDecide: 100,
    },
  });
  expect(JSON.stringify(res.tickets)).not.toContain('rejected');
  expect(res.decided.map((d) => d.status)).toEqual(courseIds.map(() => 'selected'));
}

beforeAll(async () => {
  h = await startAuthHarness();
  admin = await h.adminToken();
  adminId = (await h.call('GET', AuthPaths.me, undefined, admin)).body.user.id;
}, 60_000);
afterAll(async () => {
  await h?.stack.stop();
});

describe('PATCH /admin/users/:id', () => {
  it('moves a student to another group: lists the courses held that the new group may not take, keeps them, audits old and new', async () => {
    const s = await member('student', 'cs-2024');
    const csOnly = await course(`CSO${seq}`, ['cs-2024']);
    const open = await course(`ALL${seq}`, []);
    const both = await course(`BTH${seq}`, ['cs-2024', 'math-2024']);
    await enrol(s.id, [csOnly, open, both]);

    const res = await patch(s.id, { group: 'math-2024' });
    expect(res.status).toBe(200);
    expect(res.body.user.group).toBe('math-2024');
    expect(res.body.notOpenToGroup).toEqual([csOnly]);
    expect((await detailOf(s.id)).detail.coursesHeld.map((c) => c.id).sort()).toEqual([csOnly, open, both].sort());
    expect(await auditDetails('user_updated')).toContain(`${s.username}: group: cs-2024 → math-2024`);
  });

  it('edits name and email (and clears the email with null); the answer lists no courses when the group stays', async () => {
    const s = await member('student', 'cs-2024');
    const res = await patch(s.id, { name: 'Renamed Person', email: 'new@example.edu' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Renamed Person', email: 'new@example.edu', group: 'cs-2024' });
    expect(res.body.notOpenToGroup).toEqual([]);
    expect((await patch(s.id, { email: null })).body.user.email).toBeNull();
  });

  it('refuses bad input with the creation rules, and never edits the username', async () => {
    const s = await member('student', 'cs-2024');
    const t = await member('teacher');
    const cases: [number, unknown, number, string][] = [
      [s.id, { username: 'new-name' }, 400, 'VALIDATION_FAILED'],
      [s.id, {}, 400, 'VALIDATION_FAILED'],
      [s.id, { email: 'not an email' }, 400, 'VALIDATION_FAILED'],
      [s.id, { name: 'evil\u202Ename' }, 400, 'VALIDATION_FAILED'],
      [s.id, { name: '' }, 400, 'VALIDATION_FAILED'],
      [s.id, { group: 'bad/group' }, 400, 'VALIDATION_FAILED'],
      [s.id, { role: 'root' }, 400, 'VALIDATION_FAILED'],
      [t.id, { group: 'cs-2024' }, 400, 'NOT_A_STUDENT'],
      [s.id, { role: 'teacher' }, 400, 'NOT_A_STUDENT'],
      [999_999, { name: 'Nobody' }, 404, 'USER_NOT_FOUND'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await patch(id, body);
      expect([JSON.stringify(body), res.status, res.body.error?.code]).toEqual([JSON.stringify(body), status, code]);
    }
    const after = await detailOf(s.id);
    expect(after.user).toMatchObject({ username: s.username, group: 'cs-2024', role: 'student' });
    const moved = await patch(s.id, { role: 'teacher', group: null });
    expect(moved.body.user).toMatchObject({ role: 'teacher', group: null });
  });

  it('is for admins only', async () => {
    const s = await member('student', 'cs-2024');
    const token = (await signIn(s)).body.token;
    expect((await patch(s.id, { name: 'Self Edit' }, token)).status).toBe(403);
    expect((await h.call('PATCH', AuthPaths.user(s.id), { name: 'X' })).status).toBe(401);
  });

  it('an admin cannot change their own role (SELF_ACTION); two admins demoting each other at once leave one admin (LAST_ADMIN)', async () => {
    const self = await patch(adminId, { role: 'teacher' });
    expect([self.status, self.body.error.code]).toEqual([409, 'SELF_ACTION']);
    expect((await patch(adminId, { name: 'Still Admin' })).status).toBe(200);

    // Disable every other admin so that only `admin` and the new one are active.
    const others = await h.call('GET', `${AuthPaths.users}?role=admin&disabled=false&pageSize=500`, undefined, admin);
    for (const u of others.body.items)
      if (u.id !== adminId) await h.call('POST', AuthPaths.userDisable(u.id), undefined, admin);
    const added = await h.call(
      'POST',
      AuthPaths.addAdmin,
      { username: `admin-b-${++seq}`, name: 'B', password: 'admin-b-passphrase' },
      admin,
    );
    const b = await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, {
      username: added.body.user.username,
      password: 'admin-b-passphrase',
    });
    const [ab, ba] = await Promise.all([
      patch(added.body.user.id, { role: 'teacher' }, admin),
      patch(adminId, { role: 'teacher' }, b.body.token),
    ]);
    const outcomes = [ab.status, ba.status].sort();
    // one demotion wins; the other is refused as the last admin (or, once B is no admin, as forbidden)
    expect(outcomes[0]).toBe(200);
    expect([403, 409]).toContain(outcomes[1]);
    if (outcomes[1] === 409) expect([ab, ba].find((r) => r.status === 409)!.body.error.code).toBe('LAST_ADMIN');
    // asked as whichever of the two is still an admin (which demotion wins is a race)
    const stillAdmin = ba.status === 200 ? b.body.token : admin;
    const admins = await h.call('GET', `${AuthPaths.users}?role=admin&disabled=false`, undefined, stillAdmin);
    expect(admins.body.total).toBe(1);
    // the rest of this file signs in as `admin`: make it an admin again if B's demotion won
    if (ba.status === 200) expect((await patch(adminId, { role: 'admin' }, b.body.token)).status).toBe(200);
  });
});

describe('POST /admin/users/:id/reset-password', () => {
  it('temporary (the default): a password shown once, every session ends, the next sign-in must choose a new one', async () => {
    const s = await member('student', 'cs-2024');
    const before = (await signIn(s)).body.token;
    const res = await h.call<ResetPasswordResponse>('POST', AuthPaths.userResetPassword(s.id), {}, admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ temporary: true, sessionsEnded: 1 });
    expect(res.body.password).toMatch(/^[A-Za-z0-9]{17}$/);
    expect(await meStatus(before)).toBe(401);
    expect((await signIn(s, { step: 1 })).status).toBe(401); // the old password is gone

    await awayFromStepEdge();
    const temp = await signIn(s, { password: res.body.password!, step: 1 });
    expect(temp.status).toBe(200);
    expect(temp.body.user.mustChangePassword).toBe(true);
    const blocked = await h.stack.client.request<{ error: { code: string } }>(
      'POST',
      'auth_node',
      AuthRoutes.resolveSession.url,
      {
        token: temp.body.token,
      },
    );
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await h.call(
      'POST',
      AuthPaths.mePassword,
      { currentPassword: res.body.password, newPassword: 'chosen-after-reset' },
      temp.body.token,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    expect(await auditDetails('password_reset')).toContain(`${s.username}: temporary`);
  });

  it('temporary: false gives a lasting password', async () => {
    const s = await member('teacher');
    const res = await h.call<ResetPasswordResponse>(
      'POST',
      AuthPaths.userResetPassword(s.id),
      { temporary: false },
      admin,
    );
    expect(res.body.temporary).toBe(false);
    const signed = await signIn(s, { password: res.body.password! });
    expect(signed.status).toBe(200);
    expect(signed.body.user.mustChangePassword).toBe(false);
  });

  it('refuses itself, unknown users, bad bodies and non-admins', async () => {
    const self = await h.call('POST', AuthPaths.userResetPassword(adminId), {}, admin);
    expect([self.status, self.body.error.code]).toEqual([409, 'SELF_ACTION']);
    expect((await h.call('POST', AuthPaths.userResetPassword(999_999), {}, admin)).status).toBe(404);
    expect((await h.call('POST', AuthPaths.userResetPassword(adminId), { temporary: 'yes' }, admin)).status).toBe(400);
    expect((await h.call('POST', AuthPaths.userResetPassword(adminId), { password: 'x' }, admin)).status).toBe(400);
    const s = await member('student', 'cs-2024');
    const token = (await signIn(s)).body.token;
    expect((await h.call('POST', AuthPaths.userResetPassword(s.id), {}, token)).status).toBe(403);
    // the admin's own password still works: nothing was reset
    expect((await h.call('POST', AuthPaths.loginAdmin, { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(
      200,
    );
  });

  it('a help-desk code sets a new password and a new authenticator in one step, once', async () => {
    const s = await member('student', 'cs-2024');
    const before = (await signIn(s)).body.token;
    const res = await h.call<ResetPasswordResponse>(
      'POST',
      AuthPaths.userResetPassword(s.id),
      { helpDesk: true },
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.password).toBeUndefined();
    expect(res.body.helpDeskCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(await meStatus(before)).toBe(401);
    expect((await signIn(s, { step: 1 })).status).toBe(401); // the old password stopped working

    const use = (code: string, newPassword = 'new-help-desk-pass') =>
      h.call<TotpEnrollment>('POST', AuthPaths.helpDeskReset, { username: s.username, code, newPassword });
    expect((await use('AAAAA-BBBBB')).body.error.code).toBe('CODE_INVALID');
    expect((await use(res.body.helpDeskCode!, 'password')).body.error.code).toBe('PASSWORD_REJECTED');
    const done = await use(res.body.helpDeskCode!.toLowerCase());
    expect(done.status).toBe(200);
    expect(done.body.otpauthUri).toContain(`secret=${done.body.totpSecret}`);
    const again = await use(res.body.helpDeskCode!);
    expect(again.body.error.code).toBe('CODE_USED_UP');

    const fresh = await h.call<LoginResponse>('POST', AuthPaths.login, {
      username: s.username,
      password: 'new-help-desk-pass',
      totp: totpCode(done.body.totpSecret),
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.user.mustChangePassword).toBe(false);
    expect(await meStatus(fresh.body.token)).toBe(200);
  });

  it('a plain 2FA reset code does not set a password (NOT_A_HELP_DESK_CODE)', async () => {
    const s = await member('student', 'cs-2024');
    const gen = await h.call<GeneratedCode>('POST', AuthPaths.generateResetCode, { username: s.username }, admin);
    const res = await h.call('POST', AuthPaths.helpDeskReset, {
      username: s.username,
      code: gen.body.code,
      newPassword: 'another-good-one',
    });
    expect([res.status, res.body.error.code]).toEqual([400, 'NOT_A_HELP_DESK_CODE']);
    expect((await signIn(s)).status).toBe(200); // the password did not change
  });
});

describe('sessions', () => {
  it("lists a user's sessions with where they are from; the id is not the token; ending one leaves the other", async () => {
    const s = await member('student', 'cs-2024');
    const a = (await signIn(s, { userAgent: 'Browser A' })).body.token;
    const b = (await signIn(s, { step: 1, userAgent: 'Browser B' })).body.token;
    const list = await h.call<SessionList>('GET', AuthPaths.userSessions(s.id), undefined, admin);
    expect(list.status).toBe(200);
    expect(list.body.sessions.map((x) => x.userAgent).sort()).toEqual(['Browser A', 'Browser B']);
    for (const x of list.body.sessions) {
      expect(x.id).toMatch(/^[0-9a-f]{16}$/);
      expect(a + b).not.toContain(x.id);
      expect(x.address).toBe('127.0.0.1');
    }
    const target = list.body.sessions.find((x) => x.userAgent === 'Browser A')!;
    const del = await h.call('DELETE', AuthPaths.userSession(s.id, target.id), undefined, admin);
    expect(del.status).toBe(200);
    expect(await meStatus(a)).toBe(401);
    expect(await meStatus(b)).toBe(200);
    expect((await h.call('DELETE', AuthPaths.userSession(s.id, target.id), undefined, admin)).body.error.code).toBe(
      'SESSION_NOT_FOUND',
    );
  });

  it('refuses a session of another user, a malformed id and non-admins', async () => {
    const s = await member('student', 'cs-2024');
    const other = await member('student', 'cs-2024');
    const token = (await signIn(s)).body.token;
    const id = (await h.call<SessionList>('GET', AuthPaths.userSessions(s.id), undefined, admin)).body.sessions[0]!.id;
    expect((await h.call('DELETE', AuthPaths.userSession(other.id, id), undefined, admin)).status).toBe(404);
    expect((await h.call('DELETE', AuthPaths.userSession(s.id, 'not-an-id'), undefined, admin)).status).toBe(400);
    expect((await h.call('GET', AuthPaths.userSessions(999_999), undefined, admin)).status).toBe(404);
    expect((await h.call('GET', AuthPaths.userSessions(s.id), undefined, token)).status).toBe(403);
    expect((await h.call('DELETE', AuthPaths.userSession(s.id, id), undefined, token)).status).toBe(403);
    expect(await meStatus(token)).toBe(200);
  });

  it('/me/sessions: a user sees their own, marks the current one, and ends another', async () => {
    const s = await member('teacher');
    const a = (await signIn(s)).body.token;
    const b = (await signIn(s, { step: 1 })).body.token;
    const mine = await h.call<SessionList>('GET', AuthPaths.meSessions, undefined, a);
    expect(mine.body.sessions).toHaveLength(2);
    expect(mine.body.sessions.filter((x) => x.current)).toHaveLength(1);
    const otherId = mine.body.sessions.find((x) => !x.current)!.id;
    expect((await h.call('DELETE', AuthPaths.meSession(otherId), undefined, a)).status).toBe(200);
    expect(await meStatus(b)).toBe(401);
    expect(await meStatus(a)).toBe(200);
    // someone else's session id is not found among yours
    const stranger = await member('teacher');
    await signIn(stranger);
    const theirs = (await h.call<SessionList>('GET', AuthPaths.userSessions(stranger.id), undefined, admin)).body
      .sessions[0]!;
    expect((await h.call('DELETE', AuthPaths.meSession(theirs.id), undefined, a)).status).toBe(404);
    expect((await h.call('GET', AuthPaths.meSessions)).status).toBe(401);
  });
});

describe('GET /admin/users/:id detail', () => {
  it('last sign-in time and address, failed sign-ins since, 2FA, sessions, courses held and queued', async () => {
    const s = await member('student', 'cs-2024');
    const fresh = await detailOf(s.id);
    expect(fresh.detail).toMatchObject({
      lastLoginAt: null,
      failedLogins: 0,
      totpEnabled: true,
      sessions: 0,
      coursesHeld: [],
      waitlisted: [],
    });
    await signIn(s, { password: 'wrong-password-1' });
    await signIn(s, { password: 'wrong-password-2' });
    await new Promise((r) => setTimeout(r, 100)); // failures are counted after the answer
    expect((await detailOf(s.id)).detail.failedLogins).toBe(2);
    await signIn(s);
    const code = `DET${seq}`;
    const c = await course(code, []);
    await enrol(s.id, [c]);
    const { detail } = await detailOf(s.id);
    expect(detail.failedLogins).toBe(0);
    expect(detail.lastLoginAddress).toBe('127.0.0.1');
    expect(Date.now() - Date.parse(detail.lastLoginAt!)).toBeLessThan(60_000);
    expect(detail.sessions).toBe(1);
    expect(detail.coursesHeld).toEqual([{ id: c, code, name: code }]);
  });
});

describe('POST /admin/users/bulk-action', () => {
  it('dry run answers per user and changes nothing; the real run disables and ends their sessions', async () => {
    const group = `bulk-${++seq}`;
    const users = [await member('student', group), await member('student', group), await member('student', group)];
    const tokens = await Promise.all(users.map(async (u) => (await signIn(u)).body.token));
    const ids = users.map((u) => u.id);
    const dry = await h.call<BulkActionResponse>(
      'POST',
      AuthPaths.usersBulkAction(true),
      { ids, action: 'disable' },
      admin,
    );
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, total: 3, done: 3, failed: 0 });
    for (const t of tokens) expect(await meStatus(t)).toBe(200);
    expect((await detailOf(ids[0]!)).user.disabled).toBe(false);

    const real = await h.call<BulkActionResponse>(
      'POST',
      AuthPaths.usersBulkAction(),
      { filter: { group }, action: 'disable' },
      admin,
    );
    expect(real.body).toMatchObject({ dryRun: false, total: 3, done: 3 });
    for (const t of tokens) expect(await meStatus(t)).toBe(401);
    for (const id of ids) expect((await detailOf(id)).user.disabled).toBe(true);
    const back = await h.call<BulkActionResponse>(
      'POST',
      AuthPaths.usersBulkAction(),
      { ids, action: 'enable' },
      admin,
    );
    expect(back.body.done).toBe(3);
  });

  it('answers why not per user: SELF_ACTION, USER_NOT_FOUND, NOT_A_STUDENT; set-group lists the courses the group may not take', async () => {
    const s = await member('student', 'cs-2024');
    const t = await member('teacher');
    const c = await course(`BG${seq}`, ['cs-2024']);
    await enrol(s.id, [c]);
    const res = await h.call<BulkActionResponse>(
      'POST',
      AuthPaths.usersBulkAction(),
      { ids: [s.id, t.id, adminId, 999_999], action: 'set-group', group: 'math-2024' },
      admin,
    );
    expect(res.body.results).toEqual([
      { id: s.id, username: s.username, ok: true, notOpenToGroup: [c] },
      { id: t.id, username: t.username, ok: false, error: { code: 'NOT_A_STUDENT', message: expect.any(String) } },
      { id: adminId, username: 'admin', ok: false, error: { code: 'SELF_ACTION', message: expect.any(String) } },
      { id: 999_999, username: null, ok: false, error: { code: 'USER_NOT_FOUND', message: expect.any(String) } },
    ]);
    expect(await auditDetails('user_updated')).toContain(`${s.username}: group: cs-2024 → math-2024 (bulk)`);
    const del = await h.call<BulkActionResponse>(
      'POST',
      AuthPaths.usersBulkAction(),
      { ids: [adminId], action: 'delete' },
      admin,
    );
    expect(del.body.results[0]!.error!.code).toBe('SELF_ACTION');
  });

  it('refuses bad requests', async () => {
    const bad: unknown[] = [
      { action: 'disable' },
      { ids: [1], filter: {}, action: 'disable' },
      { ids: [1], action: 'set-group' },
      { ids: [1], action: 'delete', group: 'cs-2024' },
      { ids: [1], action: 'explode' },
      { ids: [], action: 'disable' },
      { ids: Array.from({ length: 10_001 }, (_, i) => i + 1), action: 'disable' },
      { filter: { role: 'root' }, action: 'disable' },
    ];
    for (const body of bad) {
      const res = await h.call('POST', AuthPaths.usersBulkAction(), body, admin);
      expect(res.status).toBe(400);
    }
  });
});

describe('GET /admin/users/export', () => {
  it("gives the import's columns, formula-safe, without secrets", async () => {
    const group = `exp-${++seq}`;
    const res = await h.call<CreatedUser>(
      'POST',
      AuthPaths.users,
      { role: 'student', username: `exp-${seq}`, name: '=HYPERLINK("http://evil")', email: 'exp@example.edu', group },
      admin,
    );
    const csv = await h.call<string>('GET', AuthPaths.usersExport({ role: 'student', group }), undefined, admin);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toBe(
      `username,name,email,group\r\nexp-${seq},"'=HYPERLINK(""http://evil"")",exp@example.edu,${group}\r\n`,
    );
    expect(csv.body).not.toContain(res.body.initialPassword!);
    expect(csv.body).not.toContain(res.body.totpSecret);
    const teachers = await h.call<string>('GET', AuthPaths.usersExport({ role: 'teacher' }), undefined, admin);
    expect(teachers.body.split('\r\n')[0]).toBe('username,name,email');
    const all = await h.call<string>('GET', AuthPaths.usersExport(), undefined, admin);
    expect(all.body.split('\r\n')[0]).toBe('role,username,name,email,group');
    expect(all.body).toContain('admin,admin,');
    expect((await h.call('GET', AuthPaths.usersExport({ role: 'root' } as never), undefined, admin)).status).toBe(400);
  });
});
