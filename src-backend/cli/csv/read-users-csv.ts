import fs from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { csvErrorLine } from '../../contracts/csv-error-line.js';
import type { PasswordPolicy } from '../../contracts/password-policy.js';
import { failure, usageError } from '../cli-error.js';
import { CSV_LIMITS, type CsvLimits } from './limits.js';
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
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A missing file is a failure (1), not a usage error (2): the command line itself was right.
    throw code === 'ENOENT' ? failure(`${file}: no such file`) : failure(`cannot read ${file}: ${code}`);
  }
  if (!st.isFile()) throw usageError(`${file} is not a file`);
  if (st.size > limits.maxBytes) {
    throw failure(
      `${file} is ${formatBytes(st.size)}, over the ${formatBytes(limits.maxBytes)} limit: split it into smaller files`,
    );
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw failure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  return parseUsersCsv(buf, opts, file);
}

/**
 * Parse and validate every row. Good rows and bad rows (with the line each starts on) come
 * back separately so the caller decides: skip the bad ones, or with --atomic import nothing.
 */
export function parseUsersCsv(input: Buffer | string, opts: ReadOptions, label = 'CSV'): ParsedUsersCsv {
  const limits = { ...CSV_LIMITS, ...opts.limits };
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw failure(`${label} is not UTF-8 text: save it as CSV UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // csv-parse miscounts lines inside quoted fields that hold CRLF, so feed it LF only.
  text = text.replace(/\r\n?/g, '\n');

  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordBytes,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw failure(`${label} is malformed: ${describeCsvError(err, text)}`);
    throw err;
  }
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
    const line = startLine(info.lines, raw);
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

/** csv-parse reports the line a record ends on; people want the line it starts on. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  let inner = 0;
  for (const ch of body) if (ch === '\n') inner++;
  return endLine - inner;
}

/** Names the line where the bad field starts, which is where the admin has to look. */
function describeCsvError(err: CsvError, text: string): string {
  const line = csvErrorLine(text, err);
  const at = line === null ? '' : ` at line ${line}`;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted field that starts${at} is never closed`;
    case 'INVALID_OPENING_QUOTE':
      return `a quote in the middle of an unquoted field${at} (wrap the field in quotes and double the quote)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `text after a closing quote${at}`;
    case 'CSV_MAX_RECORD_SIZE':
      return `a record${at} is longer than ${CSV_LIMITS.maxRecordBytes / 1024} KiB`;
    default:
      return err.message.split('\n')[0]!;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
