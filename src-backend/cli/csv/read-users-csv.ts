import type { PasswordPolicy } from '../../contracts/password-policy.js';
import { fieldStartLines } from '../../contracts/csv-error-line.js';
import { failure, usageError } from '../cli-error.js';
import { CSV_LIMITS, type CsvLimits } from './limits.js';
import { parseCsvRecords, readCsvFile } from './read-csv-records.js';
import {
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  type CsvBadRow,
  type CsvUserRow,
  type ImportUserType,
  type ParsedUsersCsv,
} from './user-rows.js';
import { validateRow } from './validate-row.js';

export interface ReadOptions {
  readonly userType: ImportUserType;
  readonly generatePasswords: boolean;
  readonly limits?: Partial<CsvLimits>;
  /** the full password rule (with its dictionary); without it only length, controls and username are checked */
  readonly passwordPolicy?: PasswordPolicy;
}

/** Read, size-check and parse a people CSV. A file-level problem throws one-line CliError. */
export function readUsersCsv(file: string, opts: ReadOptions): ParsedUsersCsv {
  const limits = { ...CSV_LIMITS, ...opts.limits };
  return parseUsersCsv(readCsvFile(file, limits.maxBytes), opts, file);
}

/**
 * Parse and validate every row. Good rows and bad rows (with the line each starts on) come
 * back separately so the caller decides: skip the bad ones, or with --atomic import nothing.
 */
export function parseUsersCsv(input: Buffer | string, opts: ReadOptions, label = 'CSV'): ParsedUsersCsv {
  const limits = { ...CSV_LIMITS, ...opts.limits };
  const records = parseCsvRecords(input, label, limits.maxRecordBytes);
  if (records.length === 0)
    throw failure(`${label} is empty: it needs a header row (${REQUIRED_COLUMNS[opts.userType].join(',')})`);
  const rowCount = records.length - 1;
  if (rowCount > limits.maxRows) {
    throw failure(`${label} has ${rowCount} rows, over the ${limits.maxRows}-row limit: split it into smaller files`);
  }

  const columns = headerColumns(records[0]!.record, opts.userType, label);
  if (!columns.includes('password') && !opts.generatePasswords) {
    throw usageError(`${label} has no password column: add one or pass --generate-passwords (with --output)`);
  }
  const rows: CsvUserRow[] = [];
  const bad: CsvBadRow[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < records.length; i++) {
    const { record, raw, info } = records[i]!;
    const line = fieldStartLines(raw, info.lines)[0]!;
    const cells: Record<string, string> = {};
    columns.forEach((col, idx) => {
      if (col) cells[col] = record[idx] ?? '';
    });
    const username = (cells.username ?? '').trim();
    if (record.length !== columns.length) {
      bad.push({ line, username, problem: `has ${record.length} fields, the header has ${columns.length}` });
      continue;
    }
    const check = validateRow(cells, line, opts.userType, opts.generatePasswords, opts.passwordPolicy);
    if (!check.ok) {
      bad.push({ line, username, problem: check.problem });
      continue;
    }
    const key = check.row.username.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      bad.push({ line, username, problem: `username ${check.row.username} already appears on line ${first}` });
      continue;
    }
    seen.set(key, line);
    rows.push(check.row);
  }
  return { rows, bad };
}

/** Header names are matched without case or surrounding spaces; unknown ones are refused. */
function headerColumns(header: readonly string[], userType: ImportUserType, label: string): (string | null)[] {
  const required = REQUIRED_COLUMNS[userType];
  const allowed = new Set([...required, ...OPTIONAL_COLUMNS]);
  const cols = header.map((h) => h.trim().toLowerCase());
  const seen = new Set<string>();
  for (const col of cols) {
    if (!allowed.has(col)) {
      const hint = col === 'group' ? ' (group is for --user-type student)' : '';
      throw failure(
        `${label}: unknown column ${JSON.stringify(col)}${hint}; expected ${[...required, ...OPTIONAL_COLUMNS].join(', ')}`,
      );
    }
    if (seen.has(col)) throw failure(`${label}: column ${col} appears twice in the header`);
    seen.add(col);
  }
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length)
    throw failure(`${label}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header row`);
  return cols;
}
