import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BulkCreateResponse,
  type GeneratedCode,
  type LoginResponse,
  type RegisterResponse,
} from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { startAuthHarness, type AuthHarness } from './test-support.js';

// A first start without ADMIN_PASSWORD, a user import with generated passwords, and codes: then
// every line the supervisor collected (what the Logs view, the realtime backlog and a download
// show) and every log file under DATA_DIR/logs is searched for each secret those steps produced.
let h: AuthHarness;

beforeAll(async () => {
  h = await startAuthHarness({ ADMIN_PASSWORD: '', LOG_LEVEL: 'debug' });
}, 120_000);
afterAll(async () => {
  await h?.stack.stop();
}, 60_000);

/** Log lines reach the supervisor a moment after the request that caused them. */
const settle = () => new Promise((r) => setTimeout(r, 500));

describe('secrets never reach the logs', () => {
  it('no password, token, TOTP secret or code from a first start, an import and code generation is in the log output', async () => {
    const secrets: string[] = [];
    const oneTime = h.stack.terminal.map((l) => /^\s*password: (\S+)\s*$/.exec(l)?.[1]).find(Boolean);
    expect(oneTime, 'the one-time password is printed for the terminal').toBeTruthy();
    secrets.push(oneTime!);

    const first = await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, { username: 'admin', password: oneTime });
    expect(first.status).toBe(200);
    secrets.push(first.body.token);
    const newPassword = 'the-chief-own-secret-42'; // not containing the username (the password policy)
    secrets.push(newPassword);
    const changed = await h.call(
      'POST',
      AuthPaths.mePassword,
      { currentPassword: oneTime, newPassword },
      first.body.token,
    );
    expect(changed.status).toBe(200);
    const admin = (
      await h.call<LoginResponse>('POST', AuthPaths.loginAdmin, { username: 'admin', password: newPassword })
    ).body.token;
    secrets.push(admin);

    const imported = await h.call<BulkCreateResponse>(
      'POST',
      AuthPaths.usersBulk,
      {
        atomic: false,
        users: [
          { role: 'student', username: 'sec.one', name: 'One', group: 'g1' },
          { role: 'student', username: 'sec.two', name: 'Two', group: 'g1', password: 'chosen-password-for-two' },
          { role: 'teacher', username: 'sec.three', name: 'Three' },
        ],
      },
      admin,
    );
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(3);
    secrets.push('chosen-password-for-two');
    for (const r of imported.body.results) {
      if (r.initialPassword) secrets.push(r.initialPassword);
      if (r.totpSecret) secrets.push(r.totpSecret);
    }

    const reg = await h.call<GeneratedCode>(
      'POST',
      AuthPaths.generateRegistrationCode,
      { userType: 'student', maxUses: 2, group: 'g2' },
      admin,
    );
    expect(reg.status).toBe(201);
    secrets.push(reg.body.code);
    const reset = await h.call<GeneratedCode>('POST', AuthPaths.generateResetCode, { username: 'sec.one' }, admin);
    expect(reset.status).toBe(201);
    secrets.push(reset.body.code);
    // A wrong code and a registration that uses the real one: both log something.
    await h.call('POST', AuthPaths.register, {
      code: 'WRONG-CODE-1234',
      username: 'sec.bad',
      name: 'Bad',
      email: 'bad@example.com',
      password: 'registering-password-1',
    });
    const registered = await h.call<RegisterResponse>('POST', AuthPaths.register, {
      code: reg.body.code,
      username: 'sec.reg',
      name: 'Reg',
      email: 'reg@example.com',
      password: 'registering-password-2',
    });
    expect(registered.status).toBe(201);
    secrets.push('registering-password-1', 'registering-password-2', registered.body.totpSecret);

    await settle();
    const logDir = path.join(h.stack.config.dataDir, 'logs');
    const files = fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'));
    expect(files.join('')).toContain('one-time password');
    const output = [
      ...h.stack.supervisor.recentLogs(5000).map((r) => JSON.stringify(r)),
      ...files.flatMap((text) => text.split('\n')),
    ];
    expect(output.length).toBeGreaterThan(5);
    // The log did record these events, just not their secrets.
    expect(output.some((l) => l.includes('one-time password'))).toBe(true);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(7);
      expect(
        output.filter((l) => l.includes(secret)),
        `log lines holding a secret (${secret.slice(0, 3)}…)`,
      ).toEqual([]);
    }
  });
});
