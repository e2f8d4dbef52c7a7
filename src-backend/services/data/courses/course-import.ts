import type { Database } from 'better-sqlite3';
import type { Actor } from '../../../contracts/courses.js';
import {
  CourseImportErrorCode,
  type CourseImportResponse,
  type CourseImportResult,
  type CourseImportRow,
} from '../../../contracts/course-import.js';
import { AppError, badRequest, forbidden } from '../../../shared/app-error.js';
import type { CourseAudit } from './audit.js';
import type { CourseStore } from './course-store.js';

/** Thrown inside a dry run's transaction so better-sqlite3 rolls it back. */
class DryRunRollback extends Error {}

export interface ImportOptions {
  readonly atomic: boolean;
  readonly dryRun: boolean;
}

/**
 * A course CSV import in ONE IMMEDIATE transaction: each row is created in its own savepoint
 * (CourseStore.create nests), so a bad row undoes only itself; `atomic` undoes everything when
 * any row fails, and a dry run undoes everything always. A crash part-way leaves nothing.
 */
export class CourseImporter {
  constructor(
    private readonly db: Database,
    private readonly courses: CourseStore,
    private readonly audit: CourseAudit,
  ) {}

  run(actor: Actor, rows: readonly CourseImportRow[], opts: ImportOptions): CourseImportResponse {
    if (actor.role !== 'admin') throw forbidden('only an admin may import courses');
    let answer: CourseImportResponse | null = null;
    try {
      this.db
        .transaction(() => {
          const results = rows.map((row, i) => this.createOne(actor, row, i, opts.dryRun));
          const failed = results.filter((r) => !r.ok);
          answer = { created: results.length - failed.length, failed: failed.length, dryRun: opts.dryRun, results };
          if (opts.atomic && failed.length > 0 && !opts.dryRun) {
            throw new AppError(
              409,
              CourseImportErrorCode.IMPORT_REJECTED,
              `nothing imported: ${failed.length} of ${rows.length} rows were refused`,
              { results: failed },
            );
          }
          if (opts.dryRun) throw new DryRunRollback();
          this.audit.record(actor, 'course.import', 'courses', {
            created: answer.created,
            failed: answer.failed,
            atomic: opts.atomic,
          });
        })
        .immediate();
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
    return answer!;
  }

  private createOne(actor: Actor, row: CourseImportRow, index: number, dryRun: boolean): CourseImportResult {
    try {
      const { teacher, ...fields } = row;
      const teacherId = teacher === undefined ? undefined : this.teacherId(teacher);
      const course = this.courses.create(actor, { ...fields, ...(teacherId ? { teacherId } : {}) });
      return { row: index, code: row.code, ok: true, ...(dryRun ? {} : { id: course.id }) };
    } catch (err) {
      // A coded refusal is this row's answer; anything else (disk, bug) fails the whole import.
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
      return { row: index, code: row.code, ok: false, error: { code: err.code, message: err.message } };
    }
  }

  private teacherId(username: string): number {
    const user = this.db.prepare('SELECT id, role FROM users WHERE username = ?').get(username) as
      { id: number; role: string } | undefined;
    if (!user) throw badRequest(`no user named ${username}`, 'UNKNOWN_TEACHER');
    if (user.role !== 'teacher') throw badRequest(`${username} is not a teacher`, 'UNKNOWN_TEACHER');
    return user.id;
  }
}
