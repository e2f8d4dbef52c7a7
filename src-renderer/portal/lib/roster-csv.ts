import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Course, EnrolledStudent } from '@contracts/courses';
import { neutralise } from '../../src/lib/csv-import';

/** The roster as CSV; every cell that a spreadsheet would run as a formula is neutralised. */
export function rosterCsv(course: Pick<Course, 'code'>, students: readonly EnrolledStudent[]): string {
  const rows = students.map((s) => [course.code, s.username, s.name, s.group ?? '', s.enrolledAt].map(neutralise));
  return stringify([['course', 'username', 'name', 'group', 'enrolled at'], ...rows], {
    bom: true,
    record_delimiter: 'windows',
  });
}
