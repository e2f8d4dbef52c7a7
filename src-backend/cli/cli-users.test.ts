import fs from 'node:fs';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AuthUser } from '../contracts/auth.js';
import { AuthPaths } from '../contracts/routes/auth.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { cliEnvFor, makeHome, oneErrorLine, runCli, type CliRun } from './testing/run-cli.js';
import { runCliInTty } from './testing/run-in-tty.js';
import { scanBlockQr } from './testing/scan-qr.js';

// Each test runs the CLI several times as real processes on a shared 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/**
 * Every user/code/status command, run as a user would: the built CLI in its own process,
 * against real data_node + auth_node processes, with a fresh HOME per test.
 */
const ADMIN_PASSWORD = 'cli-boss-Passw0rd!';
let stack: TestStack;
let env: Record<string, string>;
const homes: string[] = [];

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node'], env: { ADMIN_PASSWORD } });
  env = { ...cliEnvFor(stack.env), NO_COLOR: '1' };
});
afterAll(async () => {
  await stack?.stop();
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

function home(): string {
  const h = makeHome();
  homes.push(h);
  return h;
}
const cli = (h: string, args: string[], input?: string): Promise<CliRun> => runCli(args, { home: h, env, input });
const sessionPath = (h: string) => path.join(h, '.course_selection', 'config.json');

/** A HOME with a fresh admin session, logged in through the CLI (password on stdin). */
async function loggedIn(): Promise<string> {
  const h = home();
  const run = await cli(h, ['user', 'login', '--username', 'admin'], `${ADMIN_PASSWORD}\n`);
  expect(run.code, run.stderr).toBe(0);
  return h;
}

async function listUsers(h: string, type: string, search?: string): Promise<AuthUser[]> {
  const run = await cli(h, ['user', 'list', '--user-type', type, '--json', ...(search ? ['--search', search] : [])]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as AuthUser[];
}

describe('user login / logout', () => {
  it('a wrong password fails with one line and saves nothing', async () => {
    const h = home();
    const run = await cli(h, ['user', 'login', '--username', 'admin', '--password', 'not-the-password']);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe('error: login failed: wrong username or password');
    expect(fs.existsSync(sessionPath(h))).toBe(false);
  });

  it("saves a 12 h session (the server's limit) 0600 in a 0700 folder", async () => {
    const h = home();
    const before = Date.now();
    const run = await cli(h, ['user', 'login', '--username', 'admin', '--password', ADMIN_PASSWORD]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('✔ Logged in as admin; session saved to ~/.course_selection/config.json (valid 12 h)\n');
    expect(fs.statSync(path.dirname(sessionPath(h))).mode & 0o777).toBe(0o700);
    expect(fs.statSync(sessionPath(h)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(fs.readFileSync(sessionPath(h), 'utf8')) as {
      token: string;
      username: string;
      expiresAt: string;
      target: string;
    };
    expect(saved).toMatchObject({ username: 'admin', target: 'local' });
    expect(saved.token.length).toBeGreaterThanOrEqual(32);
    const expires = Date.parse(saved.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 12 * 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 1000);
    // the token is real: auth_node resolves it to the admin
    const me = await stack.client.request('GET', 'auth_node', AuthPaths.me, undefined, {
      token: saved.token,
      internal: false,
    });
    expect(me.statusCode).toBe(200);
  });

  it('prompts for the password at a terminal without echoing it', async () => {
    const h = home();
    const run = await runCliInTty(['user', 'login', '--username', 'admin'], {
      home: h,
      env,
      steps: [{ when: /Password: /, send: `${ADMIN_PASSWORD}\r` }],
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Password: ');
    expect(run.stdout).toContain('Logged in as admin');
    expect(run.stdout).not.toContain(ADMIN_PASSWORD);
    expect(fs.existsSync(sessionPath(h))).toBe(true);
  });

  it('bare `user login` at a terminal asks for the username, then the password without echo', async () => {
    const h = home();
    const run = await runCliInTty(['user', 'login'], {
      home: h,
      env,
      steps: [
        { when: /Username: /, send: 'admin\r' },
        { when: /Password: /, send: `${ADMIN_PASSWORD}\r` },
      ],
    });
    expect(run.code, run.stdout).toBe(0);
    // the username is echoed as typed (readline moves the cursor with escape codes; drop them)
    expect(run.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')).toMatch(/Username: admin\r*\nPassword: \r*\n/);
    expect(run.stdout).toContain('Logged in as admin');
    expect(run.stdout).not.toContain(ADMIN_PASSWORD);
    expect(JSON.parse(fs.readFileSync(sessionPath(h), 'utf8'))).toMatchObject({ username: 'admin' });
  });

  it('an empty username at the prompt is a usage error, and nothing is saved', async () => {
    const h = home();
    const run = await runCliInTty(['user', 'login'], { home: h, env, steps: [{ when: /Username: /, send: '\r' }] });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('error: username required: pass --username or type it at the prompt');
    expect(run.stdout).not.toContain('Password: ');
    expect(fs.existsSync(sessionPath(h))).toBe(false);
  });

  it('an expired session says so and asks for a new login', async () => {
    const h = await loggedIn();
    const saved = JSON.parse(fs.readFileSync(sessionPath(h), 'utf8')) as Record<string, unknown>;
    saved.expiresAt = new Date(Date.now() - 60_000).toISOString();
    fs.writeFileSync(sessionPath(h), JSON.stringify(saved));
    const run = await cli(h, ['user', 'list', '--user-type', 'student']);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe('error: session expired: run course-cli user login');
  });

  it('logout ends the session on the server and removes the file', async () => {
    const h = await loggedIn();
    const copy = fs.readFileSync(sessionPath(h), 'utf8');
    const run = await cli(h, ['user', 'logout']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(fs.existsSync(sessionPath(h))).toBe(false);
    expect((await cli(h, ['user', 'list', '--user-type', 'admin'])).stderr).toBe(
      'error: not logged in: run course-cli user login\n',
    );
    // A copy of the old file is useless: the server killed the token.
    fs.writeFileSync(sessionPath(h), copy, { mode: 0o600 });
    const reused = await cli(h, ['user', 'list', '--user-type', 'admin']);
    expect(reused.code).toBe(1);
    expect(oneErrorLine(reused)).toBe('error: session expired: run course-cli user login');
  });

  it('an admin with 2FA needs --totp, and signs in with it', async () => {
    // A second admin, so the main one stays without 2FA for the other tests.
    const h = await loggedIn();
    const token = (JSON.parse(fs.readFileSync(sessionPath(h), 'utf8')) as { token: string }).token;
    const call = (method: 'POST', p: string, body: unknown, t = token) =>
      stack.client.request<Record<string, unknown>>(method, 'auth_node', p, body, { token: t, internal: false });
    expect(
      (
        await call('POST', AuthPaths.addAdmin, {
          username: 'admin2fa',
          name: 'Second Admin',
          password: 'second-Admin-Passw0rd',
        })
      ).statusCode,
    ).toBe(201);
    const h2 = home();
    expect(
      (await cli(h2, ['user', 'login', '--username', 'admin2fa', '--password', 'second-Admin-Passw0rd'])).code,
    ).toBe(0);
    const token2 = (JSON.parse(fs.readFileSync(sessionPath(h2), 'utf8')) as { token: string }).token;
    const enrol = await call('POST', AuthPaths.meTotpEnroll, {}, token2);
    expect(enrol.statusCode).toBe(200);
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(enrol.body.totpSecret as string),
      period: 30,
      digits: 6,
    });
    expect((await call('POST', AuthPaths.meTotpConfirm, { totp: totp.generate() }, token2)).statusCode).toBe(200);

    const without = await cli(h2, ['user', 'login', '--username', 'admin2fa', '--password', 'second-Admin-Passw0rd']);
    expect(without.code).toBe(1);
    expect(oneErrorLine(without)).toBe(
      'error: this admin has 2FA turned on: pass --totp with the current 6-digit code',
    );
    // the next step's code: the confirming step is spent, and ±1 step of skew is allowed
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const ok = await cli(h2, [
      'user',
      'login',
      '--username',
      'admin2fa',
      '--password',
      'second-Admin-Passw0rd',
      '--totp',
      next,
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Logged in as admin2fa');
  });

  it('refuses a session file that others can read', async () => {
    const h = await loggedIn();
    fs.chmodSync(sessionPath(h), 0o604);
    const run = await cli(h, ['user', 'list', '--user-type', 'admin']);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(
      /^error: ~\/\.course_selection\/config\.json is readable by other users \(mode 604\); refusing to use it/,
    );
  });
});

describe('user add-student / add-teacher / list', () => {
  let h: string;
  beforeAll(async () => {
    h = await loggedIn();
  });

  it('add-student prints the generated password, the 2FA secret, the URI and a QR code that scans to it', async () => {
    const run = await cli(h, [
      'user',
      'add-student',
      '--username',
      'alice',
      '--name',
      'Alice Johnson',
      '--email',
      'alice@example.com',
      '--group',
      'cs-2024',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^✔ Created student alice \(id \d+\)\n/);
    const password = /^Initial password: (\S+) {2}\(shown once/m.exec(run.stdout)?.[1];
    const secret = /^2FA secret: +([A-Z2-7]+)$/m.exec(run.stdout)?.[1];
    const uri = /^otpauth URI: +(otpauth:\/\/totp\/\S+)$/m.exec(run.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(12);
    expect(secret?.length).toBeGreaterThanOrEqual(16);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('alice');
    expect(scanBlockQr(run.stdout)).toBe(uri);
    const [alice] = await listUsers(h, 'student', 'alice');
    expect(alice).toMatchObject({
      username: 'alice',
      name: 'Alice Johnson',
      email: 'alice@example.com',
      group: 'cs-2024',
      role: 'student',
      mustChangePassword: true,
    });
  });

  it('add-teacher with a given password prints no password', async () => {
    const run = await cli(h, [
      'user',
      'add-teacher',
      '--username',
      'bsmith',
      '--name',
      'Bob Smith',
      '--email',
      'bob@example.com',
      '--password',
      'teacher-Passw0rd',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^✔ Created teacher bsmith \(id \d+\)\n/);
    expect(run.stdout).not.toContain('Initial password');
    expect(run.stdout).toMatch(/^2FA secret: +[A-Z2-7]{16,}$/m);
    const teachers = await listUsers(h, 'teacher');
    expect(teachers.map((t) => t.username)).toContain('bsmith');
    expect(teachers.find((t) => t.username === 'bsmith')?.mustChangePassword).toBe(false);
  });

  it('a taken username fails with one line', async () => {
    await cli(h, ['user', 'add-teacher', '--username', 'taken1', '--name', 'T', '--email', 't@example.com']);
    const run = await cli(h, [
      'user',
      'add-teacher',
      '--username',
      'taken1',
      '--name',
      'T',
      '--email',
      't@example.com',
    ]);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(/^error: .*taken1.*/i);
  });

  it('list draws a unicode table, filters with --search, and --json is the same people', async () => {
    for (const [username, name, group] of [
      ['lamy', 'Amy Lister', 'cs-2024'],
      ['lben', 'Ben Lister', 'cs-2025'],
    ]) {
      const add = await cli(h, [
        'user',
        'add-student',
        '--username',
        username!,
        '--name',
        name!,
        '--email',
        `${username}@example.com`,
        '--group',
        group!,
      ]);
      expect(add.code, add.stderr).toBe(0);
    }
    const table = await cli(h, ['user', 'list', '--user-type', 'student', '--search', 'lister']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^┌─+┬/);
    expect(table.stdout).toMatch(/│ ID +│ Username +│ Name +│ Email +│ Group +│ Status +│/);
    expect(table.stdout).toMatch(/│ +\d+ │ lamy +│ Amy Lister +│ lamy@example\.com +│ cs-2024 +│ active +│/);
    expect(table.stdout).toMatch(/│ +\d+ │ lben +│ Ben Lister +│ lben@example\.com +│ cs-2025 +│ active +│/);
    expect(table.stdout).toMatch(/└─+┴.*\n2 students matching "lister"\n$/);
    const one = await cli(h, ['user', 'list', '--user-type', 'student', '--search', 'ben l']);
    expect(one.stdout).toContain('lben');
    expect(one.stdout).not.toContain('lamy');
    expect(one.stdout).toMatch(/1 student matching "ben l"\n$/);
    // LIKE wildcards in a search are literal
    expect(await listUsers(h, 'student', '%')).toEqual([]);
    const all = (await listUsers(h, 'student')).map((u) => u.username);
    expect(all).toEqual(expect.arrayContaining(['lamy', 'lben']));
    expect(await listUsers(h, 'teacher', 'lister')).toEqual([]);
    const admins = await listUsers(h, 'admin');
    expect(admins.map((u) => u.username)).toContain('admin');
    expect(admins.every((u) => u.role === 'admin')).toBe(true);
  });
});

describe('code generate / user reset-2fa', () => {
  let h: string;
  beforeAll(async () => {
    h = await loggedIn();
  });

  it('generates a registration code that really registers a student, with the expiry asked for', async () => {
    const run = await cli(h, [
      'code',
      'generate',
      '--user-type',
      'student',
      '--max-uses',
      '2',
      '--expires-in',
      '48h',
      '--group',
      'cs-2026',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const code = /^✔ Registration code: (\S+)$/m.exec(run.stdout)?.[1];
    expect(code).toBeTruthy();
    const until = Date.parse(/valid until (\S+)$/m.exec(run.stdout)?.[1] ?? '');
    expect(Math.abs(until - (Date.now() + 48 * 3600_000))).toBeLessThan(120_000);
    expect(run.stdout).toMatch(/For students in group cs-2026, 2 uses/);
    const reg = await stack.client.request(
      'POST',
      'auth_node',
      AuthPaths.register,
      {
        code,
        username: 'dave',
        name: 'Dave',
        email: 'dave@example.com',
        password: 'D-Passw0rd!-long',
      },
      { internal: false },
    );
    expect(reg.statusCode).toBe(201);
    expect((await listUsers(h, 'student', 'dave'))[0]?.group).toBe('cs-2026');
  });

  it('reset-2fa prints a one-time code; an unknown user is one line', async () => {
    await cli(h, [
      'user',
      'add-student',
      '--username',
      'erin',
      '--name',
      'Erin',
      '--email',
      'erin@example.com',
      '--group',
      'g1',
      '--password',
      'E-Passw0rd!-long',
    ]);
    const run = await cli(h, ['user', 'reset-2fa', 'erin']);
    expect(run.code, run.stderr).toBe(0);
    const code = /^✔ 2FA reset code for erin: (\S+)$/m.exec(run.stdout)?.[1];
    expect(code).toBeTruthy();
    // the code works: with erin's password it hands out a new secret
    const reset = await stack.client.request<{ totpSecret: string }>(
      'POST',
      'auth_node',
      AuthPaths.resetTotp,
      { username: 'erin', code, password: 'E-Passw0rd!-long' },
      { internal: false },
    );
    expect(reset.statusCode).toBe(200);
    expect(reset.body.totpSecret.length).toBeGreaterThanOrEqual(16);
    const missing = await cli(h, ['user', 'reset-2fa', 'nobody-here']);
    expect(missing.code).toBe(1);
    oneErrorLine(missing);
  });
});

describe('user delete', () => {
  let h: string;
  let id: number;
  beforeAll(async () => {
    h = await loggedIn();
  });

  async function newStudent(username: string): Promise<number> {
    const run = await cli(h, [
      'user',
      'add-student',
      '--username',
      username,
      '--name',
      'To Delete',
      '--email',
      `${username}@example.com`,
      '--group',
      'g',
    ]);
    expect(run.code, run.stderr).toBe(0);
    return Number(/\(id (\d+)\)/.exec(run.stdout)![1]);
  }

  it('refuses without a terminal or --yes, and checks the user type, deleting nothing', async () => {
    id = await newStudent('frank');
    const noTty = await cli(h, ['user', 'delete', String(id), '--user-type', 'student']);
    expect(noTty.code).toBe(2);
    const wrongType = await cli(h, ['user', 'delete', String(id), '--user-type', 'teacher', '--yes']);
    expect(wrongType.code).toBe(1);
    expect(oneErrorLine(wrongType)).toBe(`error: user ${id} (frank) is a student, not a teacher; nothing deleted`);
    expect((await listUsers(h, 'student', 'frank')).length).toBe(1);
  });

  it('--yes deletes; deleting again says there is no such user', async () => {
    const run = await cli(h, ['user', 'delete', String(id), '--user-type', 'student', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`✔ Deleted student ${id} frank\n`);
    expect(await listUsers(h, 'student', 'frank')).toEqual([]);
    const again = await cli(h, ['user', 'delete', String(id), '--user-type', 'student', '--yes']);
    expect(again.code).toBe(1);
    oneErrorLine(again);
  });

  it('asks at a terminal: "n" keeps the user, "y" deletes', async () => {
    const gid = await newStudent('grace');
    const no = await runCliInTty(['user', 'delete', String(gid), '--user-type', 'student'], {
      home: h,
      env,
      steps: [{ when: /\[y\/N\] /, send: 'n\r' }],
    });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain(`Delete student ${gid} grace (To Delete)? This cannot be undone. [y/N]`);
    expect(no.stdout).toContain('error: cancelled; nothing deleted');
    expect((await listUsers(h, 'student', 'grace')).length).toBe(1);
    const yes = await runCliInTty(['user', 'delete', String(gid), '--user-type', 'student'], {
      home: h,
      env,
      steps: [{ when: /\[y\/N\] /, send: 'y\r' }],
    });
    expect(yes.code, yes.stdout).toBe(0);
    expect(await listUsers(h, 'student', 'grace')).toEqual([]);
  });
});

describe('status and --url', () => {
  it('status shows the running services online over the Unix socket, the rest down', async () => {
    const run = await cli(home(), ['status']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/● Data Node: online +\(unix, [\d.]+ ms\)\n/);
    expect(run.stdout).toMatch(/● Auth Node: online +\(unix, [\d.]+ ms\)\n/);
    expect(run.stdout).toMatch(/● Queue Node: down +\(unreachable\)\n/);
    expect(oneErrorLine(run)).toBe('error: 4 of 6 processes are not running');
  });

  it('colours running services green', async () => {
    const { NO_COLOR: _drop, ...colourEnv } = env;
    const run = await runCli(['status'], { home: home(), env: { ...colourEnv, FORCE_COLOR: '1' } });
    expect(run.stdout).toMatch(/\x1b\[32m●\x1b\[39m Data Node/);
    expect(run.stdout).toMatch(/\x1b\[31m●\x1b\[39m Queue Node/);
  });

  it('--url to one service speaks HTTP to it: login, commands and status', async () => {
    const h = home();
    const url = stack.httpUrl('auth_node');
    const login = await runCli(['--url', url, 'user', 'login', '--username', 'admin'], {
      home: h,
      env,
      input: `${ADMIN_PASSWORD}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(sessionPath(h), 'utf8')).target).toBe(url);
    const list = await runCli(['user', 'list', '--user-type', 'admin', '--json'], {
      home: h,
      env: { ...env, COURSE_CLI_URL: url },
    });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as AuthUser[]).map((u) => u.username)).toContain('admin');
    // the local session is not the remote one
    expect((await cli(h, ['user', 'list', '--user-type', 'admin'])).stderr).toMatch(
      /the saved session is for http:\/\/127\.0\.0\.1:\d+, not local/,
    );
    const status = await runCli(['--url', url, 'status'], { home: h, env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/● Auth Node: online +\(http, [\d.]+ ms\)\n/);
    expect(status.stdout).not.toContain('Data Node');
  });
});
