import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { failure, usageError } from '../cli-error.js';
import { neutraliseCsvCell } from '../../contracts/csv-cell.js';

export const RESULT_COLUMNS = ['username', 'generated password', '2FA secret', 'otpauth URI', 'status'] as const;

export interface ResultRow {
  readonly username: string;
  readonly generatedPassword: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
  readonly status: string;
}

export function renderResultsCsv(rows: readonly ResultRow[]): string {
  const records = rows.map((r) =>
    [r.username, r.generatedPassword, r.totpSecret, r.otpauthUri, r.status].map((c) => neutraliseCsvCell(c)),
  );
  return stringify([[...RESULT_COLUMNS], ...records], { record_delimiter: '\r\n' });
}

/**
 * The results hold passwords and 2FA secrets: written 0600, via a temp file and a rename,
 * so a reader never sees half a file and nobody else can read it.
 */
export function writeResultsCsv(file: string, rows: readonly ResultRow[]): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, renderResultsCsv(rows), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw failure(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Make sure the results file can be written before any account is created: finding out
 * afterwards would lose passwords and secrets that are shown only once.
 */
export function checkResultsWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const probe = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.probe`);
  try {
    if (fs.existsSync(file) && !fs.statSync(file).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
    fs.writeFileSync(probe, '', { mode: 0o600, flag: 'wx' });
    fs.rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `folder ${dir} does not exist`
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? `folder ${dir} is not writable`
            : String(code);
    throw usageError(`--output ${file} cannot be written (${why}); nothing was imported`);
  }
}
