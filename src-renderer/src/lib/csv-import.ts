import { parse } from 'csv-parse/browser/esm/sync';
import { stringify } from 'csv-stringify/browser/esm/sync';
import { neutraliseCsvCell } from '@contracts/csv-cell';
import { Value } from 'typebox/value';
import {
  BULK_MAX_ROWS,
  Email,
  Group,
  PersonName,
  Username,
  type BulkRowResult,
  type BulkUserRow,
  type UserType,
} from '@contracts/auth';
import { csvErrorLine, type CsvErrorPosition } from '@contracts/csv-error-line';

/** The largest file the console reads; the server has its own limit too. */
export const CSV_MAX_BYTES = 5 * 1024 * 1024;

export interface PreviewRow {
  /** line number in the file (header = 1), for messages admins can find */
  line: number;
  row: BulkUserRow;
  errors: string[];
}

export interface CsvPreview {
  rows: PreviewRow[];
  /** problems with the file as a whole (no header, unknown columns, too big) */
  fileErrors: string[];
  validCount: number;
  invalidCount: number;
}

const COLUMNS = ['username', 'name', 'email', 'group', 'password', 'role'] as const;
const ALIASES: Record<string, (typeof COLUMNS)[number]> = {
  user: 'username',
  login: 'username',
  full_name: 'name',
  fullname: 'name',
  'e-mail': 'email',
  mail: 'email',
  class: 'group',
  group_id: 'group',
  groupid: 'group',
};

/**
 * Parse and check a users CSV before anything is sent: a header row; UTF-8 with or without
 * BOM; quoted fields; CRLF or LF. Each row is checked against the same schemas the server
 * uses, plus duplicates within the file, so the preview shows what will fail and why.
 */
export function previewCsv(text: string, userType: UserType): CsvPreview {
  const fileErrors: string[] = [];
  if (new Blob([text]).size > CSV_MAX_BYTES) {
    return {
      rows: [],
      fileErrors: [`The file is larger than ${CSV_MAX_BYTES / 1024 / 1024} MB.`],
      validCount: 0,
      invalidCount: 0,
    };
  }
  let records: string[][];
  // csv-parse miscounts lines inside quoted fields that hold CRLF, so it gets LF only.
  const lf = text.replace(/\r\n?/g, '\n');
  try {
    const parsed = parse(lf, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, raw: true });
    records = (parsed as unknown as { record: string[] }[]).map((r) => r.record);
  } catch (err) {
    const e = err as CsvErrorPosition & { message?: string };
    const line = csvErrorLine(lf, e);
    return {
      rows: [],
      fileErrors: [`The file is not valid CSV${line ? ` (the field at line ${line})` : ''}: ${e.message ?? ''}`],
      validCount: 0,
      invalidCount: 0,
    };
  }
  if (records.length === 0) return { rows: [], fileErrors: ['The file is empty.'], validCount: 0, invalidCount: 0 };

  const header = records[0]!.map((h) => h.trim().toLowerCase());
  const index: Partial<Record<(typeof COLUMNS)[number], number>> = {};
  header.forEach((h, i) => {
    const col = (COLUMNS as readonly string[]).includes(h) ? (h as (typeof COLUMNS)[number]) : ALIASES[h];
    if (col && index[col] === undefined) index[col] = i;
  });
  if (index.username === undefined || index.name === undefined) {
    fileErrors.push(
      'The header row must name at least the columns "username" and "name" (also: email, group, password).',
    );
    return { rows: [], fileErrors, validCount: 0, invalidCount: 0 };
  }
  const body = records.slice(1);
  if (body.length === 0) fileErrors.push('The file has a header but no rows.');
  if (body.length > BULK_MAX_ROWS) {
    fileErrors.push(`The file has ${body.length} rows; at most ${BULK_MAX_ROWS} can be imported at once.`);
    return { rows: [], fileErrors, validCount: 0, invalidCount: 0 };
  }

  const seen = new Map<string, number>();
  const rows: PreviewRow[] = body.map((rec, i) => {
    const cell = (c: (typeof COLUMNS)[number]) => (index[c] === undefined ? '' : (rec[index[c]!] ?? '').trim());
    const line = i + 2;
    // A line break inside a quoted name is a spreadsheet artefact: folded to one space, as the CLI does
    // (names may hold no control characters).
    const row: BulkUserRow = { role: userType, username: cell('username'), name: cell('name').replace(/\s+/g, ' ') };
    const email = cell('email');
    const group = cell('group');
    const password = cell('password');
    if (email) row.email = email;
    if (group) row.group = group;
    if (password) row.password = password;
    const errors: string[] = [];
    const fileRole = cell('role').toLowerCase();
    if (fileRole && fileRole !== userType) errors.push(`role is "${fileRole}" but this import creates ${userType}s`);
    if (!Value.Check(Username, row.username))
      errors.push(
        row.username ? `username "${row.username}" is not valid (3–64 letters, digits, . _ -)` : 'username is missing',
      );
    if (!Value.Check(PersonName, row.name))
      errors.push(row.name ? 'name is too long or holds control characters' : 'name is missing');
    if (email && !Value.Check(Email, email)) errors.push(`email "${email}" is not valid`);
    if (group && !Value.Check(Group, group)) errors.push(`group "${group}" is not valid`);
    if (userType === 'student' && !group) errors.push('students need a group');
    if (password && password.length < 8) errors.push('password is shorter than 8 characters');
    const key = row.username.toLowerCase();
    if (key && seen.has(key)) errors.push(`username repeats line ${seen.get(key)}`);
    else if (key) seen.set(key, line);
    return { line, row, errors };
  });
  const invalidCount = rows.filter((r) => r.errors.length).length;
  return { rows, fileErrors, validCount: rows.length - invalidCount, invalidCount };
}

/** The one CSV-injection rule (contracts/csv-cell.ts), shared with the CLI's results file. */
export const neutralise = neutraliseCsvCell;

/**
 * The results CSV, column for column what `course-cli import csv --output` writes
 * (src-backend/cli/csv/results-csv.ts), so one spreadsheet template reads both.
 */
export const RESULT_COLUMNS = ['username', 'generated password', '2FA secret', 'otpauth URI', 'status'] as const;

/**
 * One row per file line, in file order: `created` with the secrets, `failed: <reason>` for a row
 * the server refused, `skipped: <problems>` for a row the preview held back (the CLI's words).
 * `sent` are the rows sent, in order: a server result's `row` indexes into it.
 */
export function resultsCsv(
  results: readonly BulkRowResult[],
  sent: readonly PreviewRow[],
  skipped: readonly PreviewRow[] = [],
): string {
  const byLine: [number, string[]][] = [];
  for (const r of results) {
    // Array.prototype.sort is stable: results that map to no line keep their order, last.
    const line = sent[r.row]?.line ?? Number.MAX_SAFE_INTEGER;
    byLine.push([
      line,
      r.ok
        ? [r.username, r.initialPassword ?? '', r.totpSecret ?? '', r.otpauthUri ?? '', 'created']
        : [r.username, '', '', '', `failed: ${r.error?.message ?? 'rejected by the server'}`],
    ]);
  }
  for (const s of skipped) byLine.push([s.line, [s.row.username, '', '', '', `skipped: ${s.errors.join('; ')}`]]);
  byLine.sort((a, b) => a[0] - b[0]);
  return stringify([[...RESULT_COLUMNS], ...byLine.map(([, cells]) => cells.map(neutralise))], {
    record_delimiter: '\r\n',
  });
}
