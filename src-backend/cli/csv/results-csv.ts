import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { failure } from '../cli-error.js';
import { neutraliseCell } from './neutralise.js';

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
    [r.username, r.generatedPassword, r.totpSecret, r.otpauthUri, r.status].map((c) => neutraliseCell(c)),
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
