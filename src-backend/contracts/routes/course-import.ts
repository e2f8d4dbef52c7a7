import { Type, type Static } from 'typebox';
import { Actor } from '../courses.js';
import { CourseImportRequest, CourseImportResponse } from '../course-import.js';
import { ok, strict } from '../common.js';
import { routeTable } from '../route.js';

/**
 * The course CSV import (contracts/course-import.ts): admins call teacher_node, beside the other
 * admin routes; teacher_node passes the admin on to data_node, which runs it in one transaction.
 */
export const CourseImportRoutes = routeTable('teacher_node', {
  importCourses: {
    method: 'POST',
    url: '/admin/courses/import',
    summary:
      'Admin: create courses from CSV rows (atomic: all or nothing, 409 IMPORT_REJECTED; dryRun: nothing written)',
    access: 'public',
    schema: { body: CourseImportRequest, response: ok(CourseImportResponse) },
  },
});

export const DataCourseImportRequest = Type.Object({ actor: Actor, ...CourseImportRequest.properties }, strict);
export type DataCourseImportRequest = Static<typeof DataCourseImportRequest>;

export const DataCourseImportRoutes = routeTable('data_node', {
  importCourses: {
    method: 'POST',
    url: '/courses/import',
    summary: 'Create courses for an admin in one IMMEDIATE transaction (audited; dryRun rolls back)',
    access: 'internal',
    schema: { body: DataCourseImportRequest, response: ok(CourseImportResponse) },
  },
});
