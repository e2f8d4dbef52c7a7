import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GeneratedCode, type LoginResponse, type RegisterResponse } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { DataIdentityRoutes } from '../../contracts/routes/data-identity.js';
import { INTERNAL_TOKEN_HEADER } from '../../contracts/services.js';
import { hashCode } from './security/codes.js';
import { startAuthHarness, totpCode, type AuthHarness } from './test-support.js';

let h: AuthHarness;
let admin: string;

beforeAll(async () => {
  h = await startAuthHarness();
  admin = await h.adminToken();
});
afterAll(async () => {
  await h?.stack.stop();
});

// Failed registrations count against the caller's address: each test registers from its own
// (forwarded with the internal token, as the gateway does).
let from = '';
let tests = 0;
beforeEach(() => {
  from = `192.0.2.${++tests}`;
});

const generate = (body: Record<string, unknown>) =>
  h.call<GeneratedCode>('POST', AuthPaths.generateRegistrationCode, body, admin);
const register = (code: string, username: string, extra: Record<string, unknown> = {}) =>
  h.call<RegisterResponse>(
    'POST',
    AuthPaths.register,
    {
      code,
      username,
      name: `N ${username}`,
      email: `${username}@example.org`,
      password: 'register-pass-1',
      ...extra,
    },
    undefined,
    { [INTERNAL_TOKEN_HEADER]: h.stack.config.internalToken, 'x-forwarded-for': from },
  );

describe('registration codes', () => {
  it('are 50-bit codes in readable groups, stored hashed, and create accounts of their type and group', async () => {
    const gen = await generate({ userType: 'student', maxUses: 2, group: 'math-2025' });
    expect(gen.status).toBe(201);
    expect(gen.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(gen.body.info).toMatchObject({
      kind: 'registration',
      userType: 'student',
      group: 'math-2025',
      maxUses: 2,
      uses: 0,
      usesLeft: 2,
      active: true,
      createdBy: 'admin',
    });
    const hours = (Date.parse(gen.body.info.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);

    // Typed loosely (lower case, no dash) it still works.
    const reg = await register(gen.body.code.toLowerCase().replace('-', ''), 'new-student');
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({
      role: 'student',
      group: 'math-2025',
      totpEnabled: true,
      mustChangePassword: false,
    });
    expect(reg.body.otpauthUri).toBe(
      `otpauth://totp/Course%20Selection:new-student?issuer=Course%20Selection&secret=${reg.body.totpSecret}&algorithm=SHA1&digits=6&period=30`,
    );
    const login = await h.call<LoginResponse>('POST', AuthPaths.login, {
      username: 'new-student',
      password: 'register-pass-1',
      totp: totpCode(reg.body.totpSecret),
    });
    expect(login.status).toBe(200);

    const dup = await register(gen.body.code, 'NEW-STUDENT');
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('USERNAME_TAKEN');
    expect((await register(gen.body.code, 'second-student')).status).toBe(201);
    const usedUp = await register(gen.body.code, 'third-student');
    expect(usedUp.status).toBe(400);
    expect(usedUp.body.error.code).toBe('CODE_USED_UP');

    const list = await h.call('GET', `${AuthPaths.codes}?kind=registration`, undefined, admin);
    const info = list.body.items.find((c: { id: number }) => c.id === gen.body.info.id);
    expect(info).toMatchObject({ uses: 2, usesLeft: 0, active: false });
    expect(JSON.stringify(list.body)).not.toContain(gen.body.code);
  });

  it('teacher codes make teachers; expired, revoked and unknown codes are refused and create nothing', async () => {
    const teacherCode = (await generate({ userType: 'teacher', maxUses: 1 })).body.code;
    expect((await register(teacherCode, 'new-teacher')).body.user.role).toBe('teacher');

    const shortLived = await generate({ userType: 'student', maxUses: 5, expiresInHours: 0.0002 });
    await new Promise((r) => setTimeout(r, 900));
    expect((await register(shortLived.body.code, 'too-late')).body.error.code).toBe('CODE_EXPIRED');

    const revoked = await generate({ userType: 'student', maxUses: 5 });
    const rv = await h.call('POST', AuthPaths.codeRevoke(revoked.body.info.id), undefined, admin);
    expect(rv.body.code).toMatchObject({ revoked: true, active: false });
    expect((await register(revoked.body.code, 'revoked-reg')).body.error.code).toBe('CODE_REVOKED');
    expect((await register('ZZZZZ-ZZZZZ', 'unknown-code')).body.error.code).toBe('CODE_INVALID');
    expect((await h.call('POST', AuthPaths.codeRevoke(999_999), undefined, admin)).status).toBe(404);

    const active = await h.call('GET', `${AuthPaths.codes}?active=true`, undefined, admin);
    expect(active.body.items.every((c: { active: boolean }) => c.active)).toBe(true);
    const users = await h.call('GET', `${AuthPaths.users}?search=${encodeURIComponent('-reg')}`, undefined, admin);
    expect(users.body.total).toBe(0);
  });

  it('a one-use code raced by 8 registrations at once makes exactly one account', async () => {
    const gen = await generate({ userType: 'student', maxUses: 1 });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => register(gen.body.code, `racer-${i}`)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => `${a.status} ${a.body.error.code}`)).toEqual(Array(7).fill('400 CODE_USED_UP'));
    const users = await h.call('GET', `${AuthPaths.users}?search=racer-`, undefined, admin);
    expect(users.body.total).toBe(1);
    const info = (await h.call('GET', `${AuthPaths.codes}?kind=registration`, undefined, admin)).body.items.find(
      (c: { id: number }) => c.id === gen.body.info.id,
    );
    expect(info).toMatchObject({ uses: 1, usesLeft: 0, active: false });
  });

  it('refuses bad generate and register bodies', async () => {
    for (const body of [
      { userType: 'admin', maxUses: 1 },
      { userType: 'student', maxUses: 0 },
      { userType: 'student', maxUses: 1.5 },
      { userType: 'student', maxUses: 1, expiresInHours: -1 },
      { userType: 'student', maxUses: 1, extra: true },
      { userType: 'teacher', maxUses: 1, group: 'g' },
    ]) {
      expect((await generate(body)).status, JSON.stringify(body)).toBe(400);
    }
    const code = (await generate({ userType: 'student', maxUses: 3 })).body.code;
    for (const extra of [{ email: 'nope' }, { password: 'short' }, { username: 'a b' }, { role: 'admin' }]) {
      expect((await register(code, 'bad-input', extra)).status, JSON.stringify(extra)).toBe(400);
    }
    const list = await h.call('GET', `${AuthPaths.codes}?kind=registration&limit=1`, undefined, admin);
    expect(list.body.items[0]).toMatchObject({ uses: 0 });
  });

  it('guessed codes are throttled per address', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await register(`AAAAA-AAAA${i}`, `guess-${i}`));
    expect(answers[0]!.body.error.code).toBe('CODE_INVALID');
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // the throttle answers before any work: no account was created by a guess
    expect((await h.call('GET', `${AuthPaths.users}?search=guess-`, undefined, admin)).body.total).toBe(0);
  });
});

describe('registration flood', () => {
  it('used-up, expired and revoked codes are counted per address: 429 with Retry-After', async () => {
    const usedUp = (await generate({ userType: 'student', maxUses: 1 })).body.code;
    expect((await register(usedUp, 'flood-first')).status).toBe(201);
    const revoked = await generate({ userType: 'student', maxUses: 5 });
    await h.call('POST', AuthPaths.codeRevoke(revoked.body.info.id), undefined, admin);
    const expired = 'EXPRD-CODE1';
    await h.stack.client.call(DataIdentityRoutes.createRegistrationCode, {
      body: {
        codeHash: hashCode(expired),
        userType: 'student',
        maxUses: 5,
        expiresAtMs: Date.now() - 1000,
        createdBy: null,
      },
    });
    const dead = [usedUp, revoked.body.code, expired];
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await register(dead[i % 3]!, `flood-${i}`));
    expect(answers.slice(0, 3).map((a) => a.body.error.code)).toEqual(['CODE_USED_UP', 'CODE_REVOKED', 'CODE_EXPIRED']);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(limited.every((a) => a.body.error.code === 'RATE_LIMITED' && Number(a.headers['retry-after']) >= 1)).toBe(
      true,
    );
  });
});

describe('2FA reset', () => {
  it('admin issues a code; the user proves the password, gets a new secret, the old one stops working', async () => {
    const created = await h.call(
      'POST',
      AuthPaths.users,
      { role: 'student', username: 'lost-phone', name: 'L', password: 'phone-was-lost-pw' },
      admin,
    );
    const oldSecret = created.body.totpSecret as string;
    const gen = await h.call<GeneratedCode>('POST', AuthPaths.generateResetCode, { username: 'lost-phone' }, admin);
    expect(gen.status).toBe(201);
    expect(gen.body.info).toMatchObject({ kind: 'reset', username: 'lost-phone', usesLeft: 1, active: true });
    const reset = (body: Record<string, unknown>) =>
      h.call('POST', AuthPaths.resetTotp, {
        username: 'lost-phone',
        code: gen.body.code,
        password: 'phone-was-lost-pw',
        ...body,
      });

    const wrongPw = await reset({ password: 'not-the-password' });
    expect(wrongPw.status).toBe(401);
    expect(wrongPw.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await reset({ code: 'ZZZZZ-ZZZZZ' })).body.error.code).toBe('CODE_INVALID');
    const ok = await reset({});
    expect(ok.status).toBe(200);
    expect(ok.body.totpSecret).not.toBe(oldSecret);
    expect(ok.body.otpauthUri).toContain(`secret=${ok.body.totpSecret}`);
    expect((await reset({})).body.error.code).toBe('CODE_USED_UP');

    const oldCode = await h.call('POST', AuthPaths.login, {
      username: 'lost-phone',
      password: 'phone-was-lost-pw',
      totp: totpCode(oldSecret),
    });
    expect(oldCode.body.error.code).toBe('INVALID_TOTP');
    const newCode = await h.call('POST', AuthPaths.login, {
      username: 'lost-phone',
      password: 'phone-was-lost-pw',
      totp: totpCode(ok.body.totpSecret),
    });
    expect(newCode.status).toBe(200);
  });

  it('a reset code only works for its own user, and unknown users get 404 from the admin route', async () => {
    await h.call(
      'POST',
      AuthPaths.users,
      { role: 'teacher', username: 'owner-a', name: 'A', password: 'teacher-a-pass' },
      admin,
    );
    await h.call(
      'POST',
      AuthPaths.users,
      { role: 'teacher', username: 'owner-b', name: 'B', password: 'teacher-b-pass' },
      admin,
    );
    const code = (await h.call<GeneratedCode>('POST', AuthPaths.generateResetCode, { username: 'owner-a' }, admin)).body
      .code;
    const other = await h.call('POST', AuthPaths.resetTotp, { username: 'owner-b', code, password: 'teacher-b-pass' });
    expect(other.body.error.code).toBe('CODE_INVALID');
    expect((await h.call('POST', AuthPaths.generateResetCode, { username: 'nobody-here' }, admin)).status).toBe(404);
    expect(
      (await h.call('POST', AuthPaths.resetTotp, { username: 'owner-a', code, password: 'teacher-a-pass', extra: 1 }))
        .status,
    ).toBe(400);
  });
});
