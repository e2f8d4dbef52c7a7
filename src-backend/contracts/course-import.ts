import { Type, type Static } from 'typebox';
import { RowError, Username } from './auth.js';
import { CourseFields } from './courses.js';
import { strict } from './common.js';

/**
 * POST /admin/courses/import (teacher_node, admins) and the data_node route behind it. The rows
 * are the courses a CSV file describes, already checked by the caller against these schemas
 * (course-cli and the console's preview use contracts/course-csv.ts), so what the server can
 * still refuse per row is what only it knows: a code taken, an unknown teacher, clashing slots.
 *
 * - `atomic: false`: every good row is created; each bad row is a per-row error.
 * - `atomic: true`: one IMMEDIATE transaction; any bad row rolls back everything and the answer
 *   is 409 IMPORT_REJECTED with `error.details.results` (the failing rows).
 * - `dryRun: true`: the same work in a transaction that is always rolled back; the answer says
 *   what would happen, row by row, and nothing is written.
 */
export const COURSE_IMPORT_MAX_ROWS = 5000;

export const CourseImportErrorCode = { IMPORT_REJECTED: 'IMPORT_REJECTED' } as const;

export const CourseImportRow = Type.Object(
  {
    code: CourseFields.code,
    name: CourseFields.name,
    capacity: CourseFields.capacity,
    credits: CourseFields.credits,
    slots: CourseFields.slots,
    location: Type.Optional(CourseFields.location),
    description: Type.Optional(CourseFields.description),
    allowedGroups: Type.Optional(CourseFields.allowedGroups),
    /** the teacher's username; empty or absent: no teacher */
    teacher: Type.Optional(Username),
  },
  strict,
);
export type CourseImportRow = Static<typeof CourseImportRow>;

export const CourseImportRequest = Type.Object(
  {
    courses: Type.Array(CourseImportRow, { minItems: 1, maxItems: COURSE_IMPORT_MAX_ROWS }),
    atomic: Type.Boolean({ default: false }),
    dryRun: Type.Boolean({ default: false }),
  },
  strict,
);
export type CourseImportRequest = Static<typeof CourseImportRequest>;

export const CourseImportResult = Type.Object({
  /** index into the request's `courses` */
  row: Type.Integer(),
  code: Type.String(),
  ok: Type.Boolean(),
  /** the new course's id; absent on a dry run */
  id: Type.Optional(Type.Integer()),
  error: Type.Optional(RowError),
});
export type CourseImportResult = Static<typeof CourseImportResult>;

export const CourseImportResponse = Type.Object({
  /** created, or on a dry run: would be created */
  created: Type.Integer(),
  failed: Type.Integer(),
  dryRun: Type.Boolean(),
  results: Type.Array(CourseImportResult),
});
export type CourseImportResponse = Static<typeof CourseImportResponse>;
