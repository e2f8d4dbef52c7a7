import type { Database, Statement } from 'better-sqlite3';
import type { Actor } from '../../../contracts/courses.js';
import type {
  EnrollmentLogEntry,
  EnrollmentLogPage,
  EnrollmentLogQuery,
  LogAction,
  LogStatus,
} from '../../../contracts/registrar.js';

export interface LogLine {
  readonly studentId: number;
  readonly courseId: number;
  readonly action: LogAction;
  readonly status: LogStatus;
  readonly ticket?: number | null;
  readonly actorId?: number | null;
  readonly reason?: string | null;
  readonly relatedCourseId?: number | null;
}

export type LogFilter = Omit<EnrollmentLogQuery, 'format' | 'limit'> & { limit?: number };

/**
 * The enrollment change log: one line per decided request and per side effect (promotion, skip,
 * swap, staff removal), written in the same transaction as the change it explains.
 */
export class EnrollmentLog {
  private readonly insert: Statement<
    [number, number, number, string, string, number | null, number | null, string | null, number | null]
  >;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO enrollment_log (at, student_id, course_id, action, status, ticket, actor_id, reason, related_course_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  write(atMs: number, l: LogLine): void {
    this.insert.run(
      atMs,
      l.studentId,
      l.courseId,
      l.action,
      l.status,
      l.ticket ?? null,
      l.actorId ?? null,
      l.reason ?? null,
      l.relatedCourseId ?? null,
    );
  }

  /** Newest first. A teacher (actor) sees only their own courses' lines. */
  query(f: LogFilter, actor?: Actor): EnrollmentLogPage {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: (f.limit ?? 100) + 1 };
    const eq = (col: string, name: string, v: unknown) => {
      if (v === undefined) return;
      where.push(`${col} = @${name}`);
      args[name] = v;
    };
    eq('l.student_id', 'studentId', f.studentId);
    eq('l.course_id', 'courseId', f.courseId);
    eq('l.status', 'status', f.status);
    if (f.since !== undefined) {
      where.push('l.at >= @since');
      args.since = Date.parse(f.since);
    }
    if (f.until !== undefined) {
      where.push('l.at < @until');
      args.until = Date.parse(f.until);
    }
    if (f.beforeId !== undefined) {
      where.push('l.id < @beforeId');
      args.beforeId = f.beforeId;
    }
    if (actor && actor.role !== 'admin') {
      where.push('l.course_id IN (SELECT id FROM courses WHERE teacher_id = @teacherId)');
      args.teacherId = actor.userId;
    }
    const rows = this.db
      .prepare(
        `SELECT l.id, l.at, l.student_id AS studentId, s.name AS studentName, l.course_id AS courseId,
           c.code AS courseCode, l.action, l.status, l.ticket, l.actor_id AS actorId, a.name AS actorName,
           l.reason, l.related_course_id AS relatedCourseId
         FROM enrollment_log l LEFT JOIN users s ON s.id = l.student_id LEFT JOIN courses c ON c.id = l.course_id
           LEFT JOIN users a ON a.id = l.actor_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id DESC LIMIT @limit`,
      )
      .all(args) as Array<Omit<EnrollmentLogEntry, 'at'> & { at: number }>;
    const more = rows.length > (f.limit ?? 100);
    const page = more ? rows.slice(0, -1) : rows;
    return {
      entries: page.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      nextBeforeId: more ? page.at(-1)!.id : null,
    };
  }
}
