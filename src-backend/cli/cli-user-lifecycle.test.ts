import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthRoutes } from '../contracts/routes/auth.js';
import type {
  BulkActionResponse,
  ResetPasswordResponse,
  SessionInfo,
  UpdatedUser,
} from '../contracts/user-lifecycle.js';
import { totpCode } from '../services/auth/test-support.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { cliEnvFor, makeHome, oneErrorLine, runCli, type CliRun } from './testing/run-cli.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/**
 * course-cli user edit | reset-password | sessions | revoke-session | bulk | export (issue 17),
 * run as real processes against real data_node + auth_node, logged in as the admin.
 */
const ADMIN_PASSWORD = 'cli-lifecycle-Passw0rd!';
const PASSWORD = 'member-password-1';
let stack: TestStack;
let env: Record<string, string>;
let home: string;
let admin: string;
let seq = 0;

const cli = (args: string[], input?: string): Promise<CliRun> => runCli(args, { home, env, input });
async function ok(args: string[]): Promise<string> {
  const run = await cli(args);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

async function student(group = 'cs-2024'): Promise<{ id: number; username: string; secret: string }> {
  const username = `cli-s-${++seq}`;
  const res = await stack.client.call(AuthRoutes.createUser, {
    token: admin,
    body: {
      role: 'student',
      username,
      name: `Student ${seq}`,
      email: `${username}@example.edu`,
      group,
      password: PASSWORD,
    },
  });
  return { id: res.user.id, username, secret: res.totpSecret };
}
const login = (s: { username: string; secret: string }, password = PASSWORD, step = 0) =>
  stack.client.callRaw(AuthRoutes.login, {
    body: { username: s.username, password, totp: totpCode(s.secret, step) },
    headers: { 'user-agent': `agent-${step}` },
  });
const meStatus = async (token: string) =>
  (await stack.client.callRaw(AuthRoutes.me, { token, internal: false })).statusCode;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node'], env: { ADMIN_PASSWORD } });
  env = { ...cliEnvFor(stack.env), NO_COLOR: '1' };
  home = makeHome();
  const run = await cli(['user', 'login', '--username', 'admin'], `${ADMIN_PASSWORD}\n`);
  expect(run.code, run.stderr).toBe(0);
  admin = (await stack.client.call(AuthRoutes.loginAdmin, { body: { username: 'admin', password: ADMIN_PASSWORD } }))
    .token;
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('user edit', () => {
  it('changes the group and says so; --json gives the answer', async () => {
    const s = await student();
    expect(await ok(['user', 'edit', String(s.id), '--group', 'math-2024'])).toBe(
      `✔ Updated student ${s.id} ${s.username} in math-2024\n`,
    );
    const json = JSON.parse(
      await ok(['user', 'edit', String(s.id), '--name', 'New Name', '--clear-email', '--json']),
    ) as UpdatedUser;
    expect(json.user).toMatchObject({ name: 'New Name', email: null, group: 'math-2024' });
    expect(json.notOpenToGroup).toEqual([]);
  });

  it('usage errors exit 2, server refusals exit 1, each one line', async () => {
    const s = await student();
    const none = await cli(['user', 'edit', String(s.id)]);
    expect([none.code, oneErrorLine(none)]).toEqual([2, expect.stringContaining('nothing to change')]);
    const both = await cli(['user', 'edit', String(s.id), '--email', 'a@b.c', '--clear-email']);
    expect(both.code).toBe(2);
    const teacherGroup = await cli(['user', 'edit', String(s.id), '--role', 'teacher']);
    expect([teacherGroup.code, oneErrorLine(teacherGroup)]).toEqual([
      1,
      expect.stringContaining('only students belong to a group'),
    ]);
    const self = await cli(['user', 'edit', '1', '--role', 'teacher']);
    expect([self.code, oneErrorLine(self)]).toEqual([1, expect.stringContaining('your own role')]);
  });
});

describe('user reset-password', () => {
  it('prints a temporary password once; the old sessions end; it signs in and must be changed', async () => {
    const s = await student();
    const before = (await login(s)).body as { token: string };
    const out = await ok(['user', 'reset-password', String(s.id), '--yes']);
    const password = /New password for .+ \(1 session ended\): (\S+)\n/.exec(out)![1]!;
    expect(out).toContain('Temporary: a new one must be chosen at the next sign-in.');
    expect(await meStatus(before.token)).toBe(401);
    const signed = await login(s, password, 1);
    expect(signed.statusCode).toBe(200);
    expect((signed.body as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
  });

  it('--help-desk --json gives a code; without --yes and no terminal it refuses (exit 2) and resets nothing', async () => {
    const s = await student();
    const refused = await cli(['user', 'reset-password', String(s.id)]);
    expect([refused.code, oneErrorLine(refused)]).toEqual([2, expect.stringContaining('pass --yes')]);
    expect((await login(s)).statusCode).toBe(200);
    const res = JSON.parse(
      await ok(['user', 'reset-password', String(s.id), '--help-desk', '--yes', '--json']),
    ) as ResetPasswordResponse;
    expect(res.helpDeskCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(res.password).toBeUndefined();
    const bad = await cli(['user', 'reset-password', String(s.id), '--help-desk', '--lasting', '--yes']);
    expect(bad.code).toBe(2);
  });
});

describe('user sessions / revoke-session', () => {
  it('lists sessions and ends one; the other stays', async () => {
    const s = await student();
    const a = ((await login(s, PASSWORD, 0)).body as { token: string }).token;
    const b = ((await login(s, PASSWORD, 1)).body as { token: string }).token;
    const list = JSON.parse(await ok(['user', 'sessions', String(s.id), '--json'])) as SessionInfo[];
    expect(list.map((x) => x.userAgent).sort()).toEqual(['agent-0', 'agent-1']);
    const table = await ok(['user', 'sessions', String(s.id)]);
    expect(table).toContain('2 sessions');
    expect(table).toContain(list[0]!.id);
    const target = list.find((x) => x.userAgent === 'agent-0')!;
    expect(await ok(['user', 'revoke-session', String(s.id), target.id])).toBe(
      `✔ Ended session ${target.id} of user ${s.id}\n`,
    );
    expect(await meStatus(a)).toBe(401);
    expect(await meStatus(b)).toBe(200);
    const again = await cli(['user', 'revoke-session', String(s.id), target.id]);
    expect([again.code, oneErrorLine(again)]).toEqual([1, expect.stringContaining('no such session')]);
    const malformed = await cli(['user', 'revoke-session', String(s.id), 'nope']);
    expect(malformed.code).toBe(2);
  });
});

describe('user bulk', () => {
  it('dry run, then disables three students by id; refusals are listed and exit 1', async () => {
    const users = [await student('bulk-cli'), await student('bulk-cli'), await student('bulk-cli')];
    const ids = users.map((u) => u.id).join(',');
    expect(await ok(['user', 'bulk', 'disable', '--ids', ids, '--dry-run'])).toBe(
      'Dry run: would disable: 3 done, 0 refused, of 3\n',
    );
    expect((await login(users[0]!)).statusCode).toBe(200);
    expect(await ok(['user', 'bulk', 'disable', '--ids', ids, '--yes'])).toBe('disable: 3 done, 0 refused, of 3\n');
    expect((await login(users[1]!)).statusCode).toBe(403);
    const back = JSON.parse(
      await ok(['user', 'bulk', 'enable', '--group', 'bulk-cli', '--yes', '--json']),
    ) as BulkActionResponse;
    expect(back).toMatchObject({ total: 3, done: 3 });
    const mixed = await cli(['user', 'bulk', 'delete', '--ids', `1,${users[0]!.id}`, '--yes']);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/SELF_ACTION/);
    expect(mixed.stdout).toContain('delete: 1 done, 1 refused, of 2');
  });

  it('refuses unclear requests with a usage error', async () => {
    for (const args of [
      ['user', 'bulk', 'disable', '--yes'],
      ['user', 'bulk', 'disable', '--ids', '1', '--group', 'x', '--yes'],
      ['user', 'bulk', 'set-group', '--ids', '1', '--yes'],
      ['user', 'bulk', 'disable', '--ids', '1,x', '--yes'],
      ['user', 'bulk', 'explode', '--ids', '1', '--yes'],
      ['user', 'bulk', 'disable', '--ids', '5'],
    ]) {
      const run = await cli(args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
    }
  });
});

describe('user export', () => {
  it('prints the import columns as CSV, writes a 0600 file, and --json rows', async () => {
    const s = await student('export-cli');
    const csv = await ok(['user', 'export', '--user-type', 'student', '--group', 'export-cli']);
    expect(csv).toBe(
      `username,name,email,group\r\n${s.username},Student ${seq},${s.username}@example.edu,export-cli\r\n`,
    );
    const file = path.join(home, 'out.csv');
    const run = await cli(['user', 'export', '--user-type', 'student', '--group', 'export-cli', '--output', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(csv);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const rows = JSON.parse(await ok(['user', 'export', '--group', 'export-cli', '--json'])) as Record<
      string,
      string
    >[];
    expect(rows).toEqual([
      {
        role: 'student',
        username: s.username,
        name: `Student ${seq}`,
        email: `${s.username}@example.edu`,
        group: 'export-cli',
      },
    ]);
  });
});
