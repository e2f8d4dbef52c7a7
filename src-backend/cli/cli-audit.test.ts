import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../contracts/auth.js';
import { csvText } from '../contracts/csv-cell.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { sinceToIso } from './actions/audit.js';
import { cliEnvFor, makeHome, runCli, type CliRun } from './testing/run-cli.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

// `course-cli audit` as a user runs it: the built CLI against real data_node + auth_node.
const ADMIN_PASSWORD = 'cli-audit-Passw0rd!';
let stack: TestStack;
let env: Record<string, string>;
let home: string;
const cli = (args: string[], input?: string): Promise<CliRun> => runCli(args, { home, env, input });

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node'], env: { ADMIN_PASSWORD } });
  env = { ...cliEnvFor(stack.env), NO_COLOR: '1' };
  home = makeHome();
  // A failed sign-in first, then the real one: both end up in the audit log.
  expect((await cli(['user', 'login', '--username', 'admin', '--password', 'wrong-password-1'])).code).toBe(1);
  const ok = await cli(['user', 'login', '--username', 'admin'], `${ADMIN_PASSWORD}\n`);
  expect(ok.code, ok.stderr).toBe(0);
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('course-cli audit', () => {
  it('filters by action and prints JSON, newest first', async () => {
    const run = await cli(['audit', '--action', 'login', '--since', '1h', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const items = JSON.parse(run.stdout) as AuditEntry[];
    expect(items.map((e) => e.action)).toEqual(['admin_login', 'login_failed']);
    expect(items[1]).toMatchObject({ target: 'admin', actor: null });
    expect(items[1]!.detail).toContain('INVALID_CREDENTIALS');
  });

  it('filters by actor, prints CSV with a header, and a table by default', async () => {
    const csv = await cli(['audit', '--actor', 'admin', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,actor,action,target,detail');
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'admin')).toBe(true);
    const table = await cli(['audit']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('login_failed');
    expect(table.stdout).toMatch(/\d+ entries/);
  });

  it('refuses a bad --since and both --json and --csv as usage errors', async () => {
    expect((await cli(['audit', '--since', 'yesterday-ish'])).code).toBe(2);
    expect((await cli(['audit', '--json', '--csv'])).code).toBe(2);
  });
});

describe('audit CSV', () => {
  it('is formula-safe and quotes what needs quoting', () => {
    expect(csvText(['a', 'b'], [['=HYPERLINK("x")', 'plain, with comma']])).toBe(
      'a,b\r\n"\'=HYPERLINK(""x"")","plain, with comma"\r\n',
    );
  });

  it('takes --since as a duration or a time', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(sinceToIso('2h', now)).toBe('2026-12-03T08:00:00.000Z');
    expect(sinceToIso('2026-12-01T08:00:00Z', now)).toBe('2026-12-01T08:00:00.000Z');
  });
});
