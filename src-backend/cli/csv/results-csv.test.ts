import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutraliseCsvCell } from '../../contracts/csv-cell.js';
import { CliError, ExitCode } from '../cli-error.js';
import { RESULT_COLUMNS, checkResultsWritable, renderResultsCsv, writeResultsCsv } from './results-csv.js';

describe('neutraliseCsvCell', () => {
  it('prefixes cells a spreadsheet would run as a formula', () => {
    for (const v of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '\n=1+1', '  =1+1', '＝1+1', '＠cmd'])
      expect(neutraliseCsvCell(v)).toBe(`'${v}`);
    for (const v of ['alice', 'a=b', '', 'otpauth://totp/x', 'failed: name is empty'])
      expect(neutraliseCsvCell(v)).toBe(v);
  });
});

describe('results CSV', () => {
  it('has the fixed columns, round-trips quotes and commas, and neutralises formulas', () => {
    const text = renderResultsCsv([
      {
        username: 'alice',
        generatedPassword: '=HYPERLINK("x")',
        totpSecret: 'ABC',
        otpauthUri: 'otpauth://totp/a',
        status: 'created',
      },
      {
        username: '@bob',
        generatedPassword: '',
        totpSecret: '',
        otpauthUri: '',
        status: 'skipped: name is "odd", really',
      },
    ]);
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual([...RESULT_COLUMNS]);
    expect(rows[1]).toEqual(['alice', `'=HYPERLINK("x")`, 'ABC', 'otpauth://totp/a', 'created']);
    expect(rows[2]).toEqual([`'@bob`, '', '', '', 'skipped: name is "odd", really']);
  });

  it('writes the file 0600 and replaces an older one whole', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-res-'));
    try {
      const file = path.join(dir, 'results.csv');
      fs.writeFileSync(file, 'old', { mode: 0o644 });
      writeResultsCsv(file, [
        { username: 'a', generatedPassword: 'p', totpSecret: 's', otpauthUri: 'u', status: 'created' },
      ]);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8')).toMatch(
        /^username,generated password,2FA secret,otpauth URI,status\r\na,p,s,u,created\r\n$/,
      );
      expect(fs.readdirSync(dir)).toEqual(['results.csv']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks up front that the results file can be written, leaving nothing behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-res-'));
    try {
      checkResultsWritable(path.join(dir, 'ok.csv'));
      expect(fs.readdirSync(dir)).toEqual([]);
      const missing = path.join(dir, 'nope', 'r.csv');
      let err: unknown;
      try {
        checkResultsWritable(missing);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(ExitCode.usage);
      expect((err as CliError).message).toBe(
        `--output ${missing} cannot be written (folder ${path.join(dir, 'nope')} does not exist); nothing was imported`,
      );
      expect(() => checkResultsWritable(dir)).toThrow('it is a folder');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
