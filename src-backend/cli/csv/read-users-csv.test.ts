import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPasswordPolicy } from '../../contracts/password-policy.js';
import { CliError, ExitCode } from '../cli-error.js';
import { parseUsersCsv, readUsersCsv } from './read-users-csv.js';

const student = { userType: 'student' as const, generatePasswords: true };
const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-csv-'));
  tmpDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
function thrown(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('parseUsersCsv', () => {
  it('reads a BOM, CRLF, quoted commas, doubled quotes and a multi-line cell, with start lines', () => {
    const text =
      '\ufeffUsername, Name ,email,group\r\n' +
      'alice,"Johnson, Alice ""Al""",alice@example.com,cs-2024\r\n' +
      '\r\n' +
      'bob,"Bob\r\nLi",bob@example.com,cs-2024\r\n' +
      'carl,Carl,carl@example.com,cs-2025\r\n';
    const { rows, bad } = parseUsersCsv(Buffer.from(text, 'utf8'), student);
    expect(bad).toEqual([]);
    expect(rows.map((r) => [r.line, r.username, r.name, r.group])).toEqual([
      [2, 'alice', 'Johnson, Alice "Al"', 'cs-2024'],
      [4, 'bob', 'Bob Li', 'cs-2024'],
      [6, 'carl', 'Carl', 'cs-2025'],
    ]);
  });

  it('gives the same lines for LF input', () => {
    const text = 'username,name,email,group\nalice,"A\nB",a@example.com,g1\n\nbob,B,not-an-email,g1\n';
    const { rows, bad } = parseUsersCsv(text, student);
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(bad).toEqual([{ line: 5, username: 'bob', problem: 'email "not-an-email" is not an email address' }]);
  });

  it('reports every bad row by line and keeps the good ones', () => {
    const text = [
      'username,name,email,group,password',
      'ok1,One,one@example.com,g,',
      'x,Short,short@example.com,g,',
      'ok2,,two@example.com,g,',
      'ok3,Three,three@example.com,,',
      'ok4,Four,four@example.com,g,short',
      'ok1,Dup,dup@example.com,g,',
      'ok5,Five,five@example.com',
      'ok6,Six,six@example.com,g,long-enough-pw',
    ].join('\n');
    const { rows, bad } = parseUsersCsv(text, student);
    expect(rows.map((r) => [r.line, r.username, r.password])).toEqual([
      [2, 'ok1', undefined],
      [9, 'ok6', 'long-enough-pw'],
    ]);
    expect(bad.map((b) => [b.line, b.username])).toEqual([
      [3, 'x'],
      [4, 'ok2'],
      [5, 'ok3'],
      [6, 'ok4'],
      [7, 'ok1'],
      [8, 'ok5'],
    ]);
    expect(bad[0]!.problem).toMatch(/username "x" is not valid/);
    expect(bad[1]!.problem).toBe('name is empty');
    expect(bad[2]!.problem).toBe('group is empty');
    expect(bad[3]!.problem).toBe('password is too short (at least 8 characters)');
    expect(bad[4]!.problem).toBe('username ok1 already appears on line 2');
    expect(bad[5]!.problem).toBe('has 3 fields, the header has 5');
  });

  it('holds every given password to the password policy, naming the reason', async () => {
    const text = [
      'username,name,email,group,password',
      'pp1,One,one@example.com,g,password123',
      'pp2,Two,two@example.com,g,I-am-PP2-really',
      'pp3,Three,three@example.com,g,"tab\there-pass"',
      'pp4,Four,four@example.com,g,a-fine-long-passphrase',
    ].join('\n');
    const { rows, bad } = parseUsersCsv(text, { ...student, passwordPolicy: await loadPasswordPolicy() });
    expect(rows.map((r) => r.username)).toEqual(['pp4']);
    expect(bad).toEqual([
      { line: 2, username: 'pp1', problem: 'password is too common' },
      { line: 3, username: 'pp2', problem: 'password contains the username' },
      { line: 4, username: 'pp3', problem: 'password contains a control character' },
    ]);
  });

  it('needs a password per row unless passwords are generated', () => {
    const teacher = { userType: 'teacher' as const, generatePasswords: false };
    const { bad } = parseUsersCsv('username,name,email,password\ntea1,Teacher,t@example.com,\n', teacher);
    expect(bad).toEqual([
      { line: 2, username: 'tea1', problem: 'password is empty (pass --generate-passwords to generate one)' },
    ]);
    const err = thrown(() => parseUsersCsv('username,name,email\ntea1,Teacher,t@example.com\n', teacher));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe('CSV has no password column: add one or pass --generate-passwords (with --output)');
  });

  it('refuses a header with a missing, unknown or repeated column', () => {
    expect(thrown(() => parseUsersCsv('username,name\nx,y\n', student)).message).toBe(
      'CSV: missing columns email, group in the header row',
    );
    expect(thrown(() => parseUsersCsv('username,name,emial,group\n', student)).message).toMatch(
      /unknown column "emial"/,
    );
    expect(
      thrown(() => parseUsersCsv('username,name,email,group\n', { userType: 'teacher', generatePasswords: true }))
        .message,
    ).toMatch(/group is for --user-type student/);
    expect(thrown(() => parseUsersCsv('username,name,email,group,name\n', student)).message).toBe(
      'CSV: column name appears twice in the header',
    );
  });

  it('turns malformed CSV into one clear line, not a crash', () => {
    const err = thrown(() =>
      parseUsersCsv(
        'username,name,email,group\nalice,"never closed,a@example.com,g\nbob,B,b@example.com,g\n',
        student,
        'users.csv',
      ),
    );
    expect(err.exitCode).toBe(ExitCode.failure);
    expect(err.message).toBe('users.csv is malformed: a quoted field that starts at line 2 is never closed');
    expect(
      thrown(() => parseUsersCsv('username,name,email,group\nal"ice,A,a@example.com,g\n', student)).message,
    ).toMatch(/a quote in the middle of an unquoted field at line 2/);
  });

  it('names the line where the bad field starts, not where the parser gave up', () => {
    const lines = ['username,name,email,group', 'ok1,"Multi', 'Line",a@example.com,g', 'ok2,B,"b@example.com'];
    for (let i = 0; i < 40; i++) lines.push(`u${i},N,u${i}@example.com,g`);
    const crlf = `${lines.join('\r\n')}\r\n`;
    expect(thrown(() => parseUsersCsv(crlf, student, 'users.csv')).message).toBe(
      'users.csv is malformed: a quoted field that starts at line 4 is never closed',
    );
    const closing = 'username,name,email,group\nok1,"Multi\nLine"x,a@example.com,g\n';
    expect(thrown(() => parseUsersCsv(closing, student, 'users.csv')).message).toBe(
      'users.csv is malformed: text after a closing quote at line 2',
    );
  });

  it('refuses text that is not UTF-8, and an empty file', () => {
    expect(thrown(() => parseUsersCsv(Buffer.from([0x75, 0x73, 0xff, 0xfe, 0x0a]), student)).message).toMatch(
      /not UTF-8/,
    );
    expect(thrown(() => parseUsersCsv('', student)).message).toMatch(/is empty/);
  });

  it('caps the row count and the record size', () => {
    const rows = Array.from({ length: 11 }, (_, i) => `u${i}00,N,u${i}@example.com,g`).join('\n');
    expect(
      thrown(() => parseUsersCsv(`username,name,email,group\n${rows}\n`, { ...student, limits: { maxRows: 10 } }))
        .message,
    ).toBe('CSV has 11 rows, over the 10-row limit: split it into smaller files');
    const huge = `username,name,email,group\nbig,"${'x'.repeat(70 * 1024)}",b@example.com,g\n`;
    expect(thrown(() => parseUsersCsv(huge, student)).message).toMatch(/longer than 64 KiB/);
  });
});

describe('readUsersCsv', () => {
  it('checks the file size before reading it', () => {
    const file = tmpFile('big.csv', 'username,name,email,group\n' + 'a'.repeat(2048));
    expect(thrown(() => readUsersCsv(file, { ...student, limits: { maxBytes: 1024 } })).message).toMatch(
      /over the 1 KiB limit/,
    );
  });

  it('names a missing file as a failure (exit 1), not a usage error', () => {
    const err = thrown(() => readUsersCsv('/nonexistent/users.csv', student));
    expect(err.exitCode).toBe(ExitCode.failure);
    expect(err.message).toBe('/nonexistent/users.csv: no such file');
  });
});
