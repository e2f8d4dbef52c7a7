import { Value } from 'typebox/value';
import { Username } from './auth.js';
import { CourseFields } from './courses.js';
import { COURSE_IMPORT_MAX_ROWS, type CourseImportRow } from './course-import.js';
import { fieldStartLines } from './csv-error-line.js';
import { parseSlots } from './slot-text.js';

/**
 * The rows of a courses CSV, checked the way the server will check them, each problem with the
 * line its field starts on. The caller tokenises the file (csv-parse with `info` and `raw`, LF
 * line ends: course-cli uses the Node build, the console the browser build); this is the one
 * copy of the rules.
 *
 * Header (any case, any order): code, name, capacity, credits, slots; optional location,
 * description, allowed_groups (`;`-separated), teacher (a username).
 */
export const COURSE_CSV_REQUIRED = ['code', 'name', 'capacity', 'credits', 'slots'] as const;
export const COURSE_CSV_OPTIONAL = ['location', 'description', 'allowed_groups', 'teacher'] as const;
type Column = (typeof COURSE_CSV_REQUIRED)[number] | (typeof COURSE_CSV_OPTIONAL)[number];
const ALIASES: Readonly<Record<string, Column>> = {
  allowedgroups: 'allowed_groups',
  'allowed groups': 'allowed_groups',
  groups: 'allowed_groups',
  teacher_username: 'teacher',
};

/** What csv-parse hands back for one record with `{ info: true, raw: true }`. */
export interface CsvRecordInfo {
  readonly record: readonly string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

export interface CourseCsvProblem {
  /** the line the bad field starts on */
  readonly line: number;
  readonly message: string;
}

export interface CheckedCourseRow {
  /** the line the record starts on */
  readonly line: number;
  /** as written in the file, for messages (may be invalid) */
  readonly code: string;
  /** null when the row has problems */
  readonly course: CourseImportRow | null;
  readonly problems: readonly CourseCsvProblem[];
}

export type CourseCsvCheck =
  | { readonly ok: true; readonly rows: readonly CheckedCourseRow[] }
  | { readonly ok: false; readonly fileError: string };

export function checkCourseRecords(records: readonly CsvRecordInfo[]): CourseCsvCheck {
  if (records.length === 0) {
    return { ok: false, fileError: `the file is empty: it needs a header row (${COURSE_CSV_REQUIRED.join(',')})` };
  }
  const header = headerColumns(records[0]!.record);
  if (typeof header === 'string') return { ok: false, fileError: header };
  const body = records.slice(1);
  if (body.length === 0) return { ok: false, fileError: 'the file has a header but no rows' };
  if (body.length > COURSE_IMPORT_MAX_ROWS) {
    return {
      ok: false,
      fileError: `the file has ${body.length} rows, over the ${COURSE_IMPORT_MAX_ROWS}-row limit: split it into smaller files`,
    };
  }
  const firstLineOf = new Map<string, number>();
  const rows = body.map((rec) => {
    const row = checkRecord(rec, header);
    const key = row.code.toLowerCase();
    if (row.problems.length === 0 && key) {
      const first = firstLineOf.get(key);
      if (first !== undefined) {
        return {
          ...row,
          course: null,
          problems: [{ line: row.line, message: `code ${row.code} already appears on line ${first}` }],
        };
      }
      firstLineOf.set(key, row.line);
    }
    return row;
  });
  return { ok: true, rows };
}

function headerColumns(cells: readonly string[]): Column[] | string {
  const known = new Set<string>([...COURSE_CSV_REQUIRED, ...COURSE_CSV_OPTIONAL]);
  const cols: Column[] = [];
  for (const cell of cells) {
    const name = cell.trim().toLowerCase();
    const col = (known.has(name) ? name : ALIASES[name]) as Column | undefined;
    if (!col) {
      return `unknown column ${JSON.stringify(name)} in the header; expected ${[...COURSE_CSV_REQUIRED, ...COURSE_CSV_OPTIONAL].join(', ')}`;
    }
    if (cols.includes(col)) return `column ${col} appears twice in the header`;
    cols.push(col);
  }
  const missing = COURSE_CSV_REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length) return `the header row lacks ${missing.join(', ')}`;
  return cols;
}

function checkRecord(rec: CsvRecordInfo, columns: readonly Column[]): CheckedCourseRow {
  const lines = fieldStartLines(rec.raw, rec.info.lines);
  const line = lines[0]!;
  const at = (col: Column) => lines[columns.indexOf(col)] ?? line;
  const cell = (col: Column) => {
    const i = columns.indexOf(col);
    return i < 0 ? '' : (rec.record[i] ?? '');
  };
  const code = cell('code').trim();
  if (rec.record.length !== columns.length) {
    return {
      line,
      code,
      course: null,
      problems: [{ line, message: `has ${rec.record.length} fields, the header has ${columns.length}` }],
    };
  }
  const problems: CourseCsvProblem[] = [];
  const fail = (col: Column, message: string) => problems.push({ line: at(col), message });

  if (!code) fail('code', 'code is empty');
  else if (!Value.Check(CourseFields.code, code))
    fail('code', `code ${JSON.stringify(code)} is not valid (1-32 letters, digits, _ . -)`);
  // A line break inside a quoted name is a spreadsheet artefact: folded to one space.
  const name = cell('name').replace(/\s+/g, ' ').trim();
  if (!name) fail('name', 'name is empty');
  else if (!Value.Check(CourseFields.name, name))
    fail('name', 'name must be up to 200 characters, with no control or text-direction characters');
  const capacity = wholeNumber(cell('capacity'), 100_000);
  if (capacity === null)
    fail('capacity', `capacity ${JSON.stringify(cell('capacity'))} is not a whole number 0-100000`);
  const credits = wholeNumber(cell('credits'), 30);
  if (credits === null) fail('credits', `credits ${JSON.stringify(cell('credits'))} is not a whole number 0-30`);
  const slots = parseSlots(cell('slots'));
  if (!slots.ok) fail('slots', slots.problem);
  const location = cell('location').trim();
  if (!Value.Check(CourseFields.location, location))
    fail('location', 'location must be up to 200 characters, with no control characters');
  const description = cell('description').replace(/\r/g, '').trim();
  if (!Value.Check(CourseFields.description, description))
    fail('description', 'description must be up to 4000 characters, with no control characters but line breaks');
  const groups = cell('allowed_groups')
    .split(';')
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
  const badGroup = groups.find((g) => !Value.Check(CourseFields.allowedGroups.items, g));
  if (badGroup !== undefined) fail('allowed_groups', `group ${JSON.stringify(badGroup)} is not valid`);
  const teacher = cell('teacher').trim();
  if (teacher && !Value.Check(Username, teacher))
    fail('teacher', `teacher ${JSON.stringify(teacher)} is not a valid username`);

  if (problems.length > 0 || capacity === null || credits === null || !slots.ok) {
    return { line, code, course: null, problems };
  }
  const course: CourseImportRow = {
    code,
    name,
    capacity,
    credits,
    slots: slots.slots,
    ...(location ? { location } : {}),
    ...(description ? { description } : {}),
    ...(groups.length ? { allowedGroups: groups } : {}),
    ...(teacher ? { teacher } : {}),
  };
  return { line, code, course, problems };
}

function wholeNumber(text: string, max: number): number | null {
  const t = text.trim();
  if (!/^\d{1,6}$/.test(t)) return null;
  const n = Number(t);
  return n <= max ? n : null;
}
