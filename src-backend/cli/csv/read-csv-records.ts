import fs from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { csvErrorLine } from '../../contracts/csv-error-line.js';
import type { CsvRecordInfo } from '../../contracts/course-csv.js';
import { failure, usageError } from '../cli-error.js';
import { CSV_LIMITS } from './limits.js';

/** Stat, size-check and read a CSV file. A file-level problem throws a one-line CliError. */
export function readCsvFile(file: string, maxBytes: number): Buffer {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A missing file is a failure (1), not a usage error (2): the command line itself was right.
    throw code === 'ENOENT' ? failure(`${file}: no such file`) : failure(`cannot read ${file}: ${code}`);
  }
  if (!st.isFile()) throw usageError(`${file} is not a file`);
  if (st.size > maxBytes) {
    throw failure(
      `${file} is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit: split it into smaller files`,
    );
  }
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw failure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

/**
 * UTF-8 (BOM or not, LF or CRLF) into records with their raw text and end line, so each row's
 * and each field's starting line can be named. Malformed CSV throws naming the line.
 */
export function parseCsvRecords(input: Buffer | string, label: string, maxRecordBytes: number): CsvRecordInfo[] {
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw failure(`${label} is not UTF-8 text: save it as CSV UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // csv-parse miscounts lines inside quoted fields that hold CRLF, so feed it LF only.
  text = text.replace(/\r\n?/g, '\n');
  try {
    return parse(text, {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: maxRecordBytes,
    }) as unknown as CsvRecordInfo[];
  } catch (err) {
    if (err instanceof CsvError) throw failure(`${label} is malformed: ${describeCsvError(err, text)}`);
    throw err;
  }
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
