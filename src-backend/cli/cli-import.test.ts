import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthUser } from '../contracts/auth.js';
import { waitFor } from '../testing/wait-for.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { cliEnvFor, cliJs, makeHome, oneErrorLine, runCli, type CliRun } from './testing/run-cli.js';
import { DataIdentityRoutes } from '../contracts/routes/data-identity.js';

// Real processes on a shared 2-core machine; the 10,000-row case is a correctness check, not a timing.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

/** `import csv` with the built CLI against real data_node + auth_node. */
const ADMIN_PASSWORD = 'import-boss-Passw0rd!';
let stack: TestStack;
let env: Record<string, string>;
let home: string;
let work: string;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node'], env: { ADMIN_PASSWORD } });
  env = { ...cliEnvFor(stack.env), NO_COLOR: '1' };
  home = makeHome();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-imp-'));
  const login = await runCli(['user', 'login', '--username', 'admin'], { home, env, input: `${ADMIN_PASSWORD}\n` });
  expect(login.code, login.stderr).toBe(0);
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<CliRun> => runCli(args, { home, env, timeoutMs: 170_000 });
function csvFile(name: string, content: string | Buffer): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}
async function usernames(type: string, search: string): Promise<string[]> {
  const run = await cli(['user', 'list', '--user-type', type, '--search', search, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as AuthUser[]).map((u) => u.username).sort();
}
function readResults(file: string): string[][] {
  return parse(fs.readFileSync(file)) as string[][];
}

describe('import csv', () => {
  it('imports the good rows of a messy file, reports bad ones by line, and writes a safe results file', async () => {
    const file = csvFile(
      'mixed.csv',
      '\ufeffusername,name,email,group,password\r\n' +
        'mxa1,"Adams, Ann",mxa1@example.com,cs-2024,\r\n' + // line 2: generated password
        'mxb2,"Bea ""B"" Brown",mxb2@example.com,cs-2024,given-Passw0rd\r\n' + // 3: given password
        'mxc3,"Carl\r\nCole",mxc3@example.com,cs-2024,\r\n' + // 4-5: a line break inside quotes
        '=cmd(),Evil,evil@example.com,cs-2024,\r\n' + // 6: bad username that is also a formula
        'mxd4,Dee,not-an-email,cs-2024,\r\n' + // 7: bad email
        '\r\n' + // 8: blank line, ignored
        'mxe5,Eve,mxe5@example.com\r\n' + // 9: too few fields
        'mxa1,Dup,dup@example.com,cs-2024,\r\n', // 10: duplicate in the file
    );
    const out = path.join(work, 'mixed-results.csv');
    const run = await cli(['import', 'csv', file, '--user-type', 'student', '--generate-passwords', '--output', out]);
    expect(run.code).toBe(1);
    const stderr = run.stderr.split('\n').filter(Boolean);
    expect(stderr).toEqual([
      'line 6 (=cmd()): username "=cmd()" is not valid (3-64 letters, digits, . _ -, starting with a letter or digit) — skipped',
      'line 7 (mxd4): email "not-an-email" is not an email address — skipped',
      'line 9 (mxe5): has 3 fields, the header has 5 — skipped',
      'line 10 (mxa1): username mxa1 already appears on line 2 — skipped',
      'error: 4 of 7 rows were not imported (listed above)',
    ]);
    expect(run.stdout).toBe(`✔ Imported 3 of 7 students from ${file}; results in ${out}\n`);
    expect(await usernames('student', 'mx')).toEqual(['mxa1', 'mxb2', 'mxc3']);

    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const rows = readResults(out);
    expect(rows[0]).toEqual(['username', 'generated password', '2FA secret', 'otpauth URI', 'status']);
    expect(rows.slice(1).map((r) => [r[0], r[4]])).toEqual([
      ['mxa1', 'created'],
      ['mxb2', 'created'],
      ['mxc3', 'created'],
      [
        "'=cmd()",
        'skipped: username "=cmd()" is not valid (3-64 letters, digits, . _ -, starting with a letter or digit)',
      ],
      ['mxd4', 'skipped: email "not-an-email" is not an email address'],
      ['mxe5', 'skipped: has 3 fields, the header has 5'],
      ['mxa1', 'skipped: username mxa1 already appears on line 2'],
    ]);
    const [a, b] = rows.slice(1);
    expect(a![1]!.length).toBeGreaterThanOrEqual(12); // generated
    expect(b![1]).toBe(''); // given in the file, so nothing generated
    for (const r of rows.slice(1, 4)) {
      expect(r[2]).toMatch(/^[A-Z2-7]{16,}$/);
      expect(r[3]).toMatch(new RegExp(`^otpauth://totp/.*${r[0]}.*secret=${r[2]}`));
    }
  });

  it('reports rows the server refuses (a username that exists) by line, and imports the rest', async () => {
    const file = csvFile('taken.csv', 'username,name,email\ntk1,T One,tk1@example.com\ntk2,T Two,tk2@example.com\n');
    expect(
      (
        await cli([
          'import',
          'csv',
          file,
          '--user-type',
          'teacher',
          '--generate-passwords',
          '--output',
          path.join(work, 'tk-a.csv'),
        ])
      ).code,
    ).toBe(0);
    const again = csvFile(
      'taken2.csv',
      'username,name,email\ntk3,T Three,tk3@example.com\ntk1,T One,tk1@example.com\n',
    );
    const out = path.join(work, 'tk-b.csv');
    const run = await cli(['import', 'csv', again, '--user-type', 'teacher', '--generate-passwords', '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^line 3 \(tk1\): .*(taken|exists).* — failed\n/i);
    expect(run.stderr).toMatch(/error: 1 of 2 rows were not imported \(listed above\)\n$/);
    expect(await usernames('teacher', 'tk')).toEqual(['tk1', 'tk2', 'tk3']);
    expect(readResults(out).map((r) => [r[0], r[4]!.split(':')[0]])).toEqual([
      ['username', 'status'],
      ['tk3', 'created'],
      ['tk1', 'failed'],
    ]);
  });

  it('--atomic imports nothing when a row is bad, and everything when all are good', async () => {
    const bad = csvFile('atomic-bad.csv', 'username,name,email,group\nat1,A,at1@example.com,g\nat2,B,broken,g\n');
    const out = path.join(work, 'atomic-bad-results.csv');
    const run = await cli([
      'import',
      'csv',
      bad,
      '--user-type',
      'student',
      '--atomic',
      '--generate-passwords',
      '--output',
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'line 3 (at2): email "broken" is not an email address — rejected\nerror: nothing imported: 1 bad row and --atomic\n',
    );
    expect(await usernames('student', 'at')).toEqual([]);
    expect(
      readResults(out)
        .slice(1)
        .map((r) => r[4]),
    ).toEqual(['not imported: --atomic and other rows are bad', 'skipped: email "broken" is not an email address']);

    const good = csvFile(
      'atomic-good.csv',
      'username,name,email,group,password\nat1,A,at1@example.com,g,pass-word-1\nat2,B,at2@example.com,g,pass-word-2\n',
    );
    const ok = await cli(['import', 'csv', good, '--user-type', 'student', '--atomic']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`✔ Imported 2 of 2 students from ${good}\n`);
    expect(ok.stderr).toMatch(/no --output: the new accounts’ 2FA secrets were not saved/);
    expect(await usernames('student', 'at')).toEqual(['at1', 'at2']);
  });

  it('--atomic: a row the server refuses rolls back the whole file', async () => {
    // at1 exists from the previous test; at3 and at4 are new and must not be created either.
    const file = csvFile(
      'atomic-conflict.csv',
      'username,name,email,group,password\nat3,C,at3@example.com,g,pass-word-3\nat1,A,at1@example.com,g,pass-word-1\nat4,D,at4@example.com,g,pass-word-4\n',
    );
    const run = await cli(['import', 'csv', file, '--user-type', 'student', '--atomic']);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^line 3 \(at1\): .* — failed$/);
    expect(lines.at(-1)).toMatch(/^error: nothing imported: /);
    expect(await usernames('student', 'at')).toEqual(['at1', 'at2']);
  });

  it('a malformed CSV is one clear line and imports nothing', async () => {
    const file = csvFile(
      'broken.csv',
      'username,name,email,group\nmf1,"Unclosed,mf1@example.com,g\nmf2,B,mf2@example.com,g\n',
    );
    const run = await cli([
      'import',
      'csv',
      file,
      '--user-type',
      'student',
      '--generate-passwords',
      '--output',
      path.join(work, 'mf.csv'),
    ]);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(
      /^error: .*broken\.csv is malformed: a quoted field that starts at line \d+ is never closed$/,
    );
    expect(await usernames('student', 'mf')).toEqual([]);
    expect(fs.existsSync(path.join(work, 'mf.csv'))).toBe(false);
  });

  it('an --output that cannot be written stops the import before any account exists', async () => {
    const file = csvFile('unwritable.csv', 'username,name,email,group\nuw1,U,uw1@example.com,g\n');
    const out = path.join(work, 'no-such-folder', 'r.csv');
    const run = await cli(['import', 'csv', file, '--user-type', 'student', '--generate-passwords', '--output', out]);
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toMatch(
      /^error: --output .* cannot be written \(folder .* does not exist\); nothing was imported$/,
    );
    expect(await usernames('student', 'uw')).toEqual([]);
  });

  it('a file without passwords needs --generate-passwords', async () => {
    const run = await cli([
      'import',
      'csv',
      csvFile('nopw.csv', 'username,name,email,group\nnp1,N,np1@example.com,g\n'),
      '--user-type',
      'student',
    ]);
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toMatch(/has no password column: add one or pass --generate-passwords/);
  });

  it('a wrong header, a missing file, or a file over the caps is one clear line', async () => {
    const header = await cli([
      'import',
      'csv',
      csvFile('hdr.csv', 'user,name,email,group\n'),
      '--user-type',
      'student',
    ]);
    expect(header.code).toBe(1);
    expect(oneErrorLine(header)).toMatch(/unknown column "user"; expected username, name, email, group, password$/);

    const missing = await cli(['import', 'csv', path.join(work, 'nope.csv'), '--user-type', 'student']);
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing)).toBe(`error: ${path.join(work, 'nope.csv')}: no such file`);

    const big = csvFile('big.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
    const tooBig = await cli(['import', 'csv', big, '--user-type', 'student']);
    expect(tooBig.code).toBe(1);
    expect(oneErrorLine(tooBig)).toBe(
      `error: ${big} is 10.0 MiB, over the 10.0 MiB limit: split it into smaller files`,
    );

    const rows = ['username,name,email,group'];
    for (let i = 0; i < 50_001; i++) rows.push(`r${i},N,r@x.io,g`);
    const many = csvFile('many.csv', rows.join('\n'));
    const tooMany = await cli(['import', 'csv', many, '--user-type', 'student']);
    expect(tooMany.code).toBe(1);
    expect(oneErrorLine(tooMany)).toBe(
      `error: ${many} has 50001 rows, over the 50000-row limit: split it into smaller files`,
    );
  });

  it('without a session it asks for a login before reading anything', async () => {
    const other = makeHome();
    try {
      const run = await runCli(
        ['import', 'csv', csvFile('x.csv', 'username,name,email,group\n'), '--user-type', 'student'],
        { home: other, env },
      );
      expect(run.code).toBe(1);
      expect(oneErrorLine(run)).toBe('error: not logged in: run course-cli user login');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('imports 10,000 rows, every one accounted for', async () => {
    const lines = ['username,name,email,group'];
    for (let i = 1; i <= 10_000; i++)
      lines.push(`bulk${i},"Student ${i}, Bulk",bulk${i}@example.com,cs-${2020 + (i % 5)}`);
    const file = csvFile('ten-thousand.csv', lines.join('\r\n') + '\r\n');
    const out = path.join(work, 'ten-thousand-results.csv');
    const run = await cli(['import', 'csv', file, '--user-type', 'student', '--generate-passwords', '--output', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`✔ Imported 10000 of 10000 students from ${file}; results in ${out}\n`);
    const rows = readResults(out).slice(1);
    expect(rows.length).toBe(10_000);
    expect(rows.every((r) => r[4] === 'created' && r[1]!.length >= 12 && /^[A-Z2-7]{16,}$/.test(r[2]!))).toBe(true);
    expect(new Set(rows.map((r) => r[2])).size).toBe(10_000); // a secret per person
    expect((await usernames('student', 'bulk')).length).toBe(10_000);
  });

  it('auth_node dying mid-import keeps what was created: results say which rows exist, which did not, which are unknown', async () => {
    const lines = ['username,name,email,group'];
    for (let i = 1; i <= 6000; i++) lines.push(`crash${i},Crash ${i},crash${i}@example.com,g`);
    const file = csvFile('crash.csv', lines.join('\n') + '\n');
    const out = path.join(work, 'crash-results.csv');
    const running = cli(['import', 'csv', file, '--user-type', 'student', '--generate-passwords', '--output', out]);
    // Kill auth_node once the second chunk is in the database (seen directly on data_node): chunks
    // go one after another, so by then the CLI has the first chunk's answer.
    const count = async () =>
      (
        await stack.client.call(DataIdentityRoutes.listUsers, {
          query: { role: 'student', search: 'crash', pageSize: 1 },
        })
      ).total;
    await waitFor(async () => (await count()) > 1000, 60_000, 20);
    process.kill(stack.pid('auth_node'), 'SIGKILL');
    const run = await running;
    expect(run.code).toBe(1);
    const error = run.stderr.split('\n').filter(Boolean).at(-1)!;
    expect(error).toMatch(/^error: stopped after \d+ rows: /);
    const rows = readResults(out).slice(1);
    expect(rows).toHaveLength(6000);
    const created = rows.filter((r) => r[4] === 'created');
    const unknown = rows.filter((r) => r[4]!.startsWith('unknown: '));
    const notImported = rows.filter((r) => r[4]!.startsWith('not imported: '));
    expect(created.length).toBeGreaterThanOrEqual(1000);
    expect(created.length + unknown.length + notImported.length).toBe(6000);
    expect(created.every((r) => r[1] && r[2] && r[3])).toBe(true); // their secrets were kept
    // Every row called created exists; the database holds those plus at most the unknown chunk.
    const inDb = await count();
    expect(inDb).toBeGreaterThanOrEqual(created.length);
    expect(inDb).toBeLessThanOrEqual(created.length + unknown.length);
    // The supervisor brings auth_node back; the CLI works again.
    await waitFor(async () => (await cli(['user', 'list', '--user-type', 'admin', '--json'])).code === 0, 30_000, 250);
  });

  it('Ctrl-C stops after the chunk in flight and still writes every row’s fate', async () => {
    const lines = ['username,name,email,group'];
    for (let i = 1; i <= 6000; i++) lines.push(`intr${i},Intr ${i},intr${i}@example.com,g`);
    const file = csvFile('interrupt.csv', lines.join('\n') + '\n');
    const out = path.join(work, 'interrupt-results.csv');
    const child = spawn(
      process.execPath,
      [cliJs(), 'import', 'csv', file, '--user-type', 'student', '--generate-passwords', '--output', out],
      { env: { PATH: process.env.PATH ?? '', HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const count = async () =>
      (
        await stack.client.call(DataIdentityRoutes.listUsers, {
          query: { role: 'student', search: 'intr', pageSize: 1 },
        })
      ).total;
    await waitFor(async () => (await count()) >= 1000, 60_000, 20);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('stopping after the current chunk');
    expect(stderr).toMatch(/error: interrupted after \d+ rows\n$/);
    const rows = readResults(out).slice(1);
    expect(rows).toHaveLength(6000);
    const created = rows.filter((r) => r[4] === 'created');
    expect(created.length).toBeGreaterThanOrEqual(1000);
    expect(created.length).toBeLessThan(6000);
    expect(
      rows
        .filter((r) => r[4] !== 'created')
        .every((r) => r[4] === 'not imported: interrupted after ' + created.length + ' rows'),
    ).toBe(true);
    // a clean stop: the database holds exactly the rows called created
    expect(await count()).toBe(created.length);
  });
});
