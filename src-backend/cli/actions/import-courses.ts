import { CourseImportErrorCode, type CourseImportResult, type CourseImportRow } from '../../contracts/course-import.js';
import { checkCourseRecords, type CheckedCourseRow } from '../../contracts/course-csv.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import { CourseImportRoutes } from '../../contracts/routes/course-import.js';
import { failure } from '../cli-error.js';
import { succeeded } from '../connection/api.js';
import { responseError, serverMessage } from '../connection/describe-error.js';
import type { CliContext } from '../context.js';
import { CSV_LIMITS } from '../csv/limits.js';
import { parseCsvRecords, readCsvFile } from '../csv/read-csv-records.js';
import { escapeControls } from '../output/escape.js';

export interface ImportCoursesOptions {
  dryRun?: boolean;
  atomic?: boolean;
}

/** Rows per request without --atomic: each request is its own transaction on data_node. */
export const COURSE_CHUNK_ROWS = 500;
const MAX_LISTED = 50;

interface Refusal {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/**
 * `course-cli import courses courses.csv [--dry-run] [--atomic]`: every row is checked here
 * first (contracts/course-csv.ts, the console's preview uses the same rules), each problem
 * named by the line its field starts on; the server then refuses what only it can know.
 */
export async function importCourses(ctx: CliContext, file: string, opts: ImportCoursesOptions): Promise<void> {
  ctx.requireSession();
  await ctx.call(AuthRoutes.me);
  const checked = checkCourseRecords(
    parseCsvRecords(readCsvFile(file, CSV_LIMITS.maxBytes), file, CSV_LIMITS.maxRecordBytes),
  );
  if (!checked.ok) throw failure(`${file}: ${checked.fileError}`);
  const dry = opts.dryRun === true;
  const atomic = opts.atomic === true;
  const good = checked.rows.filter((r): r is CheckedCourseRow & { course: CourseImportRow } => r.course !== null);
  const bad = checked.rows.filter((r) => r.course === null);
  const total = checked.rows.length;
  const verb = (fate: string) => (dry ? `would be ${fate}` : fate);

  list(
    ctx,
    bad.flatMap((r) => r.problems.map((p) => ({ line: p.line, code: r.code, message: p.message }))),
    verb(atomic ? 'rejected' : 'skipped'),
  );
  if (atomic && bad.length > 0) {
    throw failure(
      `nothing ${dry ? 'would be ' : ''}imported: ${bad.length} bad row${bad.length === 1 ? '' : 's'} and --atomic`,
    );
  }
  if (good.length === 0) throw failure(`nothing ${dry ? 'would be ' : ''}imported: all ${total} rows are bad`);

  let created = 0;
  const refused: Refusal[] = [];
  const chunks = atomic ? [good] : chunk(good, COURSE_CHUNK_ROWS);
  for (const [i, rows] of chunks.entries()) {
    const res = await ctx.send(CourseImportRoutes.importCourses, {
      body: { courses: rows.map((r) => r.course), atomic, dryRun: dry },
      token: ctx.requireSession().token,
      timeoutMs: 120_000,
    });
    if (res.statusCode === 409 && serverMessage(res.body, '').code === CourseImportErrorCode.IMPORT_REJECTED) {
      const { message, details } = serverMessage(res.body, 'the import was rejected');
      const failed = (details as { results?: CourseImportResult[] } | undefined)?.results ?? [];
      list(
        ctx,
        failed.flatMap((f) => refusal(rows, f)),
        'failed',
      );
      throw failure(message);
    }
    if (!succeeded(res)) {
      const err = responseError('teacher_node', res.statusCode, res.body);
      if (i === 0) throw err;
      throw failure(`stopped after ${created} courses were imported: ${err.message}`);
    }
    created += res.body.created;
    refused.push(...res.body.results.filter((r) => !r.ok).flatMap((f) => refusal(rows, f)));
  }
  list(ctx, refused, verb('refused'));

  const c = ctx.colors;
  const mark = created > 0 ? c.green('✔') : c.red('✘');
  ctx.out(
    dry
      ? `${mark} Dry run: ${created} of ${total} courses would be imported from ${file}; nothing was written`
      : `${mark} Imported ${created} of ${total} course${total === 1 ? '' : 's'} from ${file}`,
  );
  const notImported = total - created;
  if (notImported > 0) {
    throw failure(`${notImported} of ${total} rows ${dry ? 'would not be' : 'were not'} imported (listed above)`);
  }
}

function refusal(rows: readonly CheckedCourseRow[], r: CourseImportResult): Refusal[] {
  const row = rows[r.row];
  return row ? [{ line: row.line, code: row.code, message: r.error?.message ?? 'refused by the server' }] : [];
}

function list(ctx: CliContext, items: readonly Refusal[], fate: string): void {
  const sorted = [...items].sort((a, b) => a.line - b.line);
  for (const r of sorted.slice(0, MAX_LISTED)) {
    ctx.note(escapeControls(`line ${r.line}${r.code ? ` (${r.code})` : ''}: ${r.message} — ${fate}`));
  }
  if (sorted.length > MAX_LISTED) ctx.note(`… and ${sorted.length - MAX_LISTED} more`);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
