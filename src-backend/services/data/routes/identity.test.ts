import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DataNewUser, type DataResolveSessionResponse } from '../../../contracts/routes/data-identity.js';
import { buildDataApp } from '../app.js';
import { DataIdentityRoutes } from '../../../contracts/routes/data-identity.js';
import { pathOf } from '../../../contracts/route.js';

const TOKEN = 'b'.repeat(64);
let dir: string;
let built: Awaited<ReturnType<typeof buildDataApp>>;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, internal = true) {
  const res = await built.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as object } : {}),
    headers: internal ? { 'x-internal-token': TOKEN } : {},
  });
  return { status: res.statusCode, body: res.json() };
}
const post = (url: string, payload: unknown) => call('POST', url, payload);
const student = (username: string, extra: Partial<DataNewUser> = {}): DataNewUser => ({
  role: 'student',
  username,
  name: `Student ${username}`,
  group: 'cs-2024',
  passwordHash: 'x',
  ...extra,
});
async function seed(...names: string[]): Promise<number[]> {
  const res = await post(DataIdentityRoutes.insertUsers.url, { users: names.map((n) => student(n)) });
  expect(res.status).toBe(200);
  return res.body.results.map((r: { id: number }) => r.id);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-idr-'));
  built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
});
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('identity storage is internal', () => {
  it('refuses calls without the internal token', async () => {
    const res = await call('POST', DataIdentityRoutes.insertUsers.url, { users: [student('stu1')] }, false);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INTERNAL_ONLY');
    expect(built.db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(0);
  });
});

describe('bulk user insert', () => {
  it('reports taken and duplicate usernames per row and keeps the rest', async () => {
    await seed('taken');
    const res = await post(DataIdentityRoutes.insertUsers.url, {
      users: [student('new1'), student('TAKEN'), student('new2'), student('NEW1')],
    });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.results.map((r: { error?: { code: string } }) => r.error?.code ?? 'ok')).toEqual([
      'ok',
      'USERNAME_TAKEN',
      'ok',
      'USERNAME_TAKEN',
    ]);
  });

  it('atomic: one bad row rolls the whole batch back with 409 and per-row details', async () => {
    await seed('taken');
    const res = await post(DataIdentityRoutes.insertUsers.url, {
      atomic: true,
      users: [student('aa1'), student('taken'), student('aa2')],
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BULK_REJECTED');
    expect(res.body.error.details.results).toEqual([
      { row: 1, username: 'taken', error: expect.objectContaining({ code: 'USERNAME_TAKEN' }) },
    ]);
    expect(built.db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(1);
  });

  it('rejects unknown fields, bad roles and bad usernames for the whole request', async () => {
    for (const users of [
      [{ ...student('xx1'), evil: true }],
      [student('xx2', { role: 'root' as 'admin' })],
      [student("x'; DROP TABLE users;--")],
    ]) {
      const res = await post(DataIdentityRoutes.insertUsers.url, { users });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(built.db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(0);
  });
});

describe('sessions', () => {
  it('mints a 256-bit token stored only as its hash, resolves it and revokes it', async () => {
    const [id] = await seed('stu1');
    const grant = await post(DataIdentityRoutes.createSession.url, { userId: id });
    expect(grant.status).toBe(201);
    expect(Buffer.from(grant.body.token, 'base64url')).toHaveLength(32);
    const stored = built.db.prepare('SELECT token_hash FROM sessions').pluck().get() as Buffer;
    expect(stored).toHaveLength(32);
    expect(stored.toString('base64url')).not.toBe(grant.body.token);

    const resolved = await post(DataIdentityRoutes.resolveSession.url, { token: grant.body.token });
    expect(resolved.status).toBe(200);
    expect(resolved.body.user).toMatchObject({ id, username: 'stu1', role: 'student', group: 'cs-2024' });

    expect((await post(DataIdentityRoutes.revokeSessions.url, { token: grant.body.token })).body.revoked).toBe(1);
    const gone = await post(DataIdentityRoutes.resolveSession.url, { token: grant.body.token });
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('INVALID_SESSION');
  });

  it('refuses expired sessions (idle and absolute) and sessions of disabled users', async () => {
    const [a, b, c] = await seed('stu1', 'stu2', 'stu3');
    const idle = (await post(DataIdentityRoutes.createSession.url, { userId: a })).body.token;
    const abs = (await post(DataIdentityRoutes.createSession.url, { userId: b })).body.token;
    const dis = (await post(DataIdentityRoutes.createSession.url, { userId: c })).body.token;
    built.db.prepare('UPDATE sessions SET idle_expires_at = ? WHERE user_id = ?').run(Date.now() - 1, a);
    built.db.prepare('UPDATE sessions SET absolute_expires_at = ? WHERE user_id = ?').run(Date.now() - 1, b);
    expect((await call('PUT', `/identity/users/${c}`, { disabled: true })).status).toBe(200);
    for (const token of [idle, abs, dis])
      expect((await post(DataIdentityRoutes.resolveSession.url, { token })).status).toBe(401);
    // disabling deleted the session; expired ones are deleted as they are found
    expect(built.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).toBe(0);
  });

  it('slides the idle expiry at most once a minute', async () => {
    const [id] = await seed('stu1');
    const { token } = (await post(DataIdentityRoutes.createSession.url, { userId: id, idleSeconds: 600 })).body;
    const before = built.db.prepare('SELECT last_seen_at FROM sessions').pluck().get() as number;
    await post(DataIdentityRoutes.resolveSession.url, { token });
    expect(built.db.prepare('SELECT last_seen_at FROM sessions').pluck().get()).toBe(before);
    built.db.prepare('UPDATE sessions SET last_seen_at = last_seen_at - 61000').run();
    const res = await post(DataIdentityRoutes.resolveSession.url, { token });
    expect(built.db.prepare('SELECT last_seen_at FROM sessions').pluck().get()).toBeGreaterThanOrEqual(before);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 590_000);
  });

  it('bulk-mints sessions for seeding and refuses unknown or disabled users', async () => {
    const ids = await seed('stu1', 'stu2');
    const res = await post(DataIdentityRoutes.createSessions.url, { userIds: ids });
    expect(res.status).toBe(201);
    expect(new Set(res.body.sessions.map((s: { token: string }) => s.token)).size).toBe(2);
    expect((await post(DataIdentityRoutes.createSession.url, { userId: 9999 })).status).toBe(404);
    await call('PUT', `/identity/users/${ids[0]}`, { disabled: true });
    expect((await post(DataIdentityRoutes.createSession.url, { userId: ids[0] })).body.error.code).toBe(
      'ACCOUNT_DISABLED',
    );
  });

  it('resolves a batch in order, null for the dead ones, touching in one transaction', async () => {
    const [a, b] = await seed('batch1', 'batch2');
    const ta = (await post(DataIdentityRoutes.createSession.url, { userId: a })).body.token;
    const tb = (await post(DataIdentityRoutes.createSession.url, { userId: b })).body.token;
    built.db.prepare('UPDATE sessions SET last_seen_at = last_seen_at - 61000').run();
    const res = await post(DataIdentityRoutes.resolveSessions.url, { tokens: [tb, 'unknown-token', ta, tb] });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { user: { username: string } } | null) => r?.user.username ?? null)).toEqual([
      'batch2',
      null,
      'batch1',
      'batch2',
    ]);
    const seen = built.db.prepare('SELECT last_seen_at FROM sessions').pluck().all() as number[];
    for (const t of seen) expect(t).toBeGreaterThan(Date.now() - 5000);
    expect((await post(DataIdentityRoutes.resolveSessions.url, { tokens: [] })).status).toBe(400);
  });

  it("revokes all of a user's sessions but one", async () => {
    const [id] = await seed('stu1');
    const keep = (await post(DataIdentityRoutes.createSession.url, { userId: id })).body.token;
    await post(DataIdentityRoutes.createSession.url, { userId: id });
    await post(DataIdentityRoutes.createSession.url, { userId: id });
    expect((await post(DataIdentityRoutes.revokeSessions.url, { userId: id, exceptToken: keep })).body.revoked).toBe(2);
    expect((await post(DataIdentityRoutes.resolveSession.url, { token: keep })).status).toBe(200);
  });
});

describe('TOTP steps', () => {
  it('accepts a step once, refuses it and older ones after, even when many race', async () => {
    const [id] = await seed('stu1');
    built.db.prepare("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE id = ?").run(id);
    const url = pathOf(DataIdentityRoutes.consumeTotpStep, { id: id });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(url, { step: 1000 })));
    expect(answers.filter((a) => a.body.accepted === true)).toHaveLength(1);
    expect((await post(url, { step: 999 })).body.accepted).toBe(false);
    expect((await post(url, { step: 1001 })).body.accepted).toBe(true);
  });
});

describe('users', () => {
  it('lists with search (LIKE wildcards literal), role, paging and an allow-listed sort', async () => {
    await post(DataIdentityRoutes.insertUsers.url, {
      users: [
        student('amy'),
        student('bob_x'),
        student('bobby'),
        student('carl', { role: 'teacher', group: null }),
        student('pct', { name: '100% sure' }),
      ],
    });
    const all = await call('GET', '/identity/users?role=student&sort=username&order=desc&pageSize=2&page=1');
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((u: { username: string }) => u.username)).toEqual(['pct', 'bobby']);
    const us = await call('GET', `/identity/users?search=${encodeURIComponent('b_')}`);
    expect(us.body.items.map((u: { username: string }) => u.username)).toEqual(['bob_x']);
    const pct = await call('GET', `/identity/users?search=${encodeURIComponent('%')}`);
    expect(pct.body.items.map((u: { username: string }) => u.username)).toEqual(['pct']);
    const bad = await call('GET', `/identity/users?sort=${encodeURIComponent('password_hash')}`);
    expect(bad.status).toBe(400);
    const inj = await call('GET', `/identity/users?sort=${encodeURIComponent('id; DROP TABLE users')}`);
    expect(inj.status).toBe(400);
  });

  it('updates, refuses to disable or delete the last admin, deletes others', async () => {
    const res = await post(DataIdentityRoutes.bootstrapAdmin.url, {
      username: 'admin',
      name: 'Admin',
      passwordHash: 'h',
      mustChangePassword: true,
    });
    expect(res.body.created).toBe(true);
    expect(
      (
        await post(DataIdentityRoutes.bootstrapAdmin.url, {
          username: 'admin2',
          name: 'A',
          passwordHash: 'h',
          mustChangePassword: false,
        })
      ).body,
    ).toEqual({ created: false, user: null });
    const adminId = res.body.user.id;
    expect((await call('PUT', `/identity/users/${adminId}`, { disabled: true })).body.error.code).toBe('LAST_ADMIN');
    expect((await call('DELETE', `/identity/users/${adminId}`)).body.error.code).toBe('LAST_ADMIN');
    const [sid] = await seed('stu1');
    expect((await call('PUT', `/identity/users/${sid}`, { name: 'Renamed', group: null })).body.user).toMatchObject({
      name: 'Renamed',
      group: null,
    });
    expect((await call('PUT', `/identity/users/${sid}`, {})).status).toBe(400);
    expect((await call('DELETE', `/identity/users/${sid}`)).body).toEqual({ deleted: true, id: sid });
    expect((await call('GET', `/identity/users/${sid}`)).status).toBe(404);
  });

  it('returns credentials by username, case-insensitively, and 404 for strangers', async () => {
    await seed('Mixed');
    const res = await post(DataIdentityRoutes.credentials.url, { username: 'mixed' });
    expect(res.body.credentials).toMatchObject({ passwordHash: 'x', user: { username: 'Mixed' } });
    expect((await post(DataIdentityRoutes.credentials.url, { username: 'nobody' })).status).toBe(404);
  });
});

describe('codes', () => {
  const hash = (n: number) => `h${String(n).padStart(20, '0')}`;
  const register = (codeHash: string, username: string) =>
    post(DataIdentityRoutes.register.url, {
      codeHash,
      username,
      name: 'N',
      email: 'n@example.org',
      passwordHash: 'p',
      totpSecret: 'JBSWY3DPEHPK3PXPJBSW',
    });

  it('registration counts uses atomically and refuses used-up, expired, revoked and unknown codes', async () => {
    const future = Date.now() + 3600_000;
    const c1 = await post(DataIdentityRoutes.createRegistrationCode.url, {
      codeHash: hash(1),
      userType: 'student',
      group: 'g1',
      maxUses: 2,
      expiresAtMs: future,
      createdBy: null,
    });
    expect(c1.status).toBe(201);
    expect(c1.body.code).toMatchObject({ kind: 'registration', usesLeft: 2, active: true });
    expect((await register(hash(1), 'reg1')).body.user).toMatchObject({
      role: 'student',
      group: 'g1',
      totpEnabled: true,
    });
    expect((await register(hash(1), 'REG1')).body.error.code).toBe('USERNAME_TAKEN');
    expect((await register(hash(1), 'reg2')).status).toBe(201);
    expect((await register(hash(1), 'reg3')).body.error.code).toBe('CODE_USED_UP');

    await post(DataIdentityRoutes.createRegistrationCode.url, {
      codeHash: hash(2),
      userType: 'teacher',
      maxUses: 5,
      expiresAtMs: Date.now() - 1,
      createdBy: null,
    });
    expect((await register(hash(2), 'reg4')).body.error.code).toBe('CODE_EXPIRED');
    const c3 = await post(DataIdentityRoutes.createRegistrationCode.url, {
      codeHash: hash(3),
      userType: 'teacher',
      maxUses: 5,
      expiresAtMs: future,
      createdBy: null,
    });
    expect(
      (await post(pathOf(DataIdentityRoutes.revokeCode, { id: c3.body.code.id }) + '?kind=registration', {})).body.code
        .revoked,
    ).toBe(true);
    expect((await register(hash(3), 'reg5')).body.error.code).toBe('CODE_REVOKED');
    expect((await register(hash(9), 'reg6')).body.error.code).toBe('CODE_INVALID');

    // The check auth_node makes before hashing a password answers the same, and uses nothing.
    const check = async (codeHash: string, username: string) => {
      const res = await post(DataIdentityRoutes.registerCheck.url, { codeHash, username });
      return res.status === 200 ? res.body : res.body.error.code;
    };
    expect(await check(hash(1), 'reg7')).toBe('CODE_USED_UP');
    expect(await check(hash(2), 'reg7')).toBe('CODE_EXPIRED');
    expect(await check(hash(3), 'reg7')).toBe('CODE_REVOKED');
    expect(await check(hash(9), 'reg7')).toBe('CODE_INVALID');
    await post(DataIdentityRoutes.createRegistrationCode.url, {
      codeHash: hash(4),
      userType: 'student',
      maxUses: 1,
      expiresAtMs: future,
      createdBy: null,
    });
    expect(await check(hash(4), 'Reg1')).toBe('USERNAME_TAKEN');
    expect(await check(hash(4), 'reg7')).toEqual({ usable: true });
    expect(await check(hash(4), 'reg7')).toEqual({ usable: true });

    expect(built.db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(2);
    const active = await call('GET', '/identity/codes?kind=registration&active=true');
    expect(active.body.items.map((c: { usesLeft: number }) => c.usesLeft)).toEqual([1]); // checked, not used
    const all = await call('GET', '/identity/codes');
    expect(all.body.items.map((c: { usesLeft: number }) => c.usesLeft)).toEqual([1, 5, 5, 0]);
  });

  it('a reset code works once, only for its user, and replaces older ones', async () => {
    const [a, b] = await seed('stu1', 'stu2');
    const future = Date.now() + 3600_000;
    await post(DataIdentityRoutes.createResetCode.url, {
      codeHash: hash(10),
      userId: a,
      expiresAtMs: future,
      createdBy: null,
    });
    await post(DataIdentityRoutes.createResetCode.url, {
      codeHash: hash(11),
      userId: a,
      expiresAtMs: future,
      createdBy: null,
    });
    const session = (await post(DataIdentityRoutes.createSession.url, { userId: a })).body.token;
    const reset = (userId: number, codeHash: string) =>
      post(DataIdentityRoutes.resetTotp.url, { userId, codeHash, totpSecret: 'NEWSECRETNEWSECRET' });
    expect((await reset(a, hash(10))).body.error.code).toBe('CODE_REVOKED');
    expect((await reset(b, hash(11))).body.error.code).toBe('CODE_INVALID');
    const ok = await reset(a, hash(11));
    expect(ok.status).toBe(200);
    expect(built.db.prepare('SELECT totp_secret FROM users WHERE id = ?').pluck().get(a)).toBe('NEWSECRETNEWSECRET');
    expect((await post(DataIdentityRoutes.resolveSession.url, { token: session })).status).toBe(401);
    expect((await reset(a, hash(11))).body.error.code).toBe('CODE_USED_UP');
  });
});

describe('audit log', () => {
  it('appends and lists newest first with paging', async () => {
    for (const action of ['a', 'b', 'c'])
      expect((await post(DataIdentityRoutes.appendAudit.url, { actorId: 1, actor: 'admin', action })).status).toBe(201);
    const page = await call('GET', '/identity/audit?limit=2');
    expect(page.body.items.map((e: { action: string }) => e.action)).toEqual(['c', 'b']);
    const next = await call('GET', `/identity/audit?limit=2&beforeId=${page.body.items[1].id}`);
    expect(next.body.items.map((e: { action: string }) => e.action)).toEqual(['a']);
  });

  it('keeps nulls null (the validator coerces types, and must not turn null into 0 or "")', async () => {
    await post(DataIdentityRoutes.appendAudit.url, {
      actorId: null,
      actor: null,
      action: 'system',
      target: null,
      detail: null,
    });
    const [entry] = (await call('GET', '/identity/audit?limit=1')).body.items;
    expect(entry).toMatchObject({ actorId: null, actor: null, target: null, detail: null });
    const [id] = await seed('nully');
    const user = (await call('PUT', `/identity/users/${id}`, { email: null, group: null, totpLastStep: null })).body
      .user;
    expect(user).toMatchObject({ email: null, group: null });
    expect(built.db.prepare('SELECT totp_last_step FROM users WHERE id = ?').pluck().get(id)).toBeNull();
  });
});

// resolve-batch: the session look-up of a rush, one call for many tokens
const mint = async (userId: number): Promise<string> =>
  (await post(DataIdentityRoutes.createSession.url, { userId })).body.token;
const sessionCount = () => built.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get() as number;

describe('POST /identity/sessions/resolve-batch', () => {
  it('answers valid, expired, disabled and unknown tokens of one batch in order, as resolve would', async () => {
    const [live, idle, absolute, disabled] = await seed('live', 'idle', 'absolute', 'disabled');
    const [tLive, tIdle, tAbs, tDis] = [
      await mint(live!),
      await mint(idle!),
      await mint(absolute!),
      await mint(disabled!),
    ];
    built.db.prepare('UPDATE sessions SET idle_expires_at = ? WHERE user_id = ?').run(Date.now() - 1, idle);
    built.db.prepare('UPDATE sessions SET absolute_expires_at = ? WHERE user_id = ?').run(Date.now() - 1, absolute);
    // disabled without going through PUT (which would delete the session): the lookup itself must refuse it
    built.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(disabled);

    const res = await post(DataIdentityRoutes.resolveSessions.url, {
      tokens: [tIdle, tLive, 'never-issued', tDis, tAbs, tLive],
    });
    expect(res.status).toBe(200);
    const names = (res.body.results as (DataResolveSessionResponse | null)[]).map((r) => r?.user.username ?? null);
    expect(names).toEqual([null, 'live', null, null, null, 'live']);
    expect(res.body.results[1].expiresAt).toEqual(expect.any(String));

    // the two expired sessions were deleted by the batch; the disabled user's stays (as with resolve)
    expect(sessionCount()).toBe(2);
    for (const token of [tIdle, tAbs, tDis])
      expect((await post(DataIdentityRoutes.resolveSession.url, { token })).status).toBe(401);
    expect((await post(DataIdentityRoutes.resolveSession.url, { token: tLive })).status).toBe(200);
  });

  it('refuses more than 1000 tokens, an empty list and bad tokens with 400, touching nothing', async () => {
    const [id] = await seed('many');
    const token = await mint(id!);
    built.db.prepare('UPDATE sessions SET idle_expires_at = ?').run(Date.now() - 1);
    for (const tokens of [Array.from({ length: 1001 }, () => token), [], [''], ['x'.repeat(257)]]) {
      const res = await post(DataIdentityRoutes.resolveSessions.url, { tokens });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(sessionCount()).toBe(1);
    const full = await post(DataIdentityRoutes.resolveSessions.url, {
      tokens: Array.from({ length: 1000 }, () => token),
    });
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(1000);
    expect(full.body.results.every((r: unknown) => r === null)).toBe(true);
    expect(sessionCount()).toBe(0);
  });
});
