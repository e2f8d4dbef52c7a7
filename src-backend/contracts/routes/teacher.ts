import {
  CourseIdRequest,
  CourseResponse,
  CreateCourseRequest,
  CreditLimitResponse,
  DeleteCourseRequest,
  DeleteCourseResponse,
  EmptyRequest,
  RemoveStudentRequest,
  RemoveStudentResponse,
  SelectionWindow,
  SetCreditLimitRequest,
  SetSelectionWindowRequest,
  TeacherCourseDetailResponse,
  TeacherCoursesResponse,
  TeacherStats,
  UpdateCourseRequest,
} from '../courses.js';
import { created, ok } from '../common.js';
import { routeTable } from '../route.js';
import { FORGET_SESSIONS, HEALTH } from './shared.js';

/**
 * teacher_node: a teacher manages their own courses, an admin any course, and an admin sets the
 * selection window and credit limits. Every route wants a bearer session of the role it names.
 */
export const TeacherRoutes = routeTable('teacher_node', {
  health: HEALTH,
  courses: {
    method: 'GET',
    url: '/teacher/courses',
    summary: "Teacher or admin: the teacher's own courses (every course for an admin)",
    access: 'public',
    schema: { response: ok(TeacherCoursesResponse) },
  },
  detail: {
    method: 'POST',
    url: '/teacher/course/detail',
    summary: 'Teacher or admin: one course with its enrolled students',
    access: 'public',
    schema: { body: CourseIdRequest, response: ok(TeacherCourseDetailResponse) },
  },
  create: {
    method: 'POST',
    url: '/teacher/course/create',
    summary: 'Teacher or admin: create a course (an admin may name its teacher)',
    access: 'public',
    schema: { body: CreateCourseRequest, response: created(CourseResponse) },
  },
  update: {
    method: 'PUT',
    url: '/teacher/course/update',
    summary: 'Teacher or admin: change any subset of a course (capacity not below enrollment: 409)',
    access: 'public',
    schema: { body: UpdateCourseRequest, response: ok(CourseResponse) },
  },
  remove: {
    method: 'DELETE',
    url: '/teacher/course/delete',
    summary: 'Teacher or admin: delete a course (one with students needs force: true)',
    access: 'public',
    schema: { body: DeleteCourseRequest, response: ok(DeleteCourseResponse) },
  },
  removeStudent: {
    method: 'POST',
    url: '/teacher/student/remove',
    summary: 'Teacher or admin: take a student off a course (404 when not enrolled)',
    access: 'public',
    schema: { body: RemoveStudentRequest, response: ok(RemoveStudentResponse) },
  },
  stats: {
    method: 'GET',
    url: '/teacher/stats',
    summary: "Teacher or admin: fill figures over the teacher's courses (all for an admin)",
    access: 'public',
    schema: { response: ok(TeacherStats) },
  },
  window: {
    method: 'GET',
    url: '/admin/selection-window',
    summary: 'Teacher or admin: when selection runs, and the default credit limit',
    access: 'public',
    schema: { response: ok(SelectionWindow) },
  },
  setWindow: {
    method: 'PUT',
    url: '/admin/selection-window',
    summary: 'Admin: schedule the selection window (closesAt after opensAt)',
    access: 'public',
    schema: { body: SetSelectionWindowRequest, response: ok(SelectionWindow) },
  },
  openWindow: {
    method: 'POST',
    url: '/admin/selection-window/open',
    summary: 'Admin: open selection now, until closed',
    access: 'public',
    schema: { body: EmptyRequest, response: ok(SelectionWindow) },
  },
  closeWindow: {
    method: 'POST',
    url: '/admin/selection-window/close',
    summary: 'Admin: close selection now',
    access: 'public',
    schema: { body: EmptyRequest, response: ok(SelectionWindow) },
  },
  setCreditLimit: {
    method: 'PUT',
    url: '/admin/credit-limit',
    summary: "Admin: one student's credit limit; null goes back to the default",
    access: 'public',
    schema: { body: SetCreditLimitRequest, response: ok(CreditLimitResponse) },
  },
  forgetSessions: FORGET_SESSIONS,
});

/** Paths for the console's fetch calls (src-renderer), built from the table above. */
export const ADMIN_COURSE_PATHS = {
  window: TeacherRoutes.window.url,
  openWindow: TeacherRoutes.openWindow.url,
  closeWindow: TeacherRoutes.closeWindow.url,
  creditLimit: TeacherRoutes.setCreditLimit.url,
} as const;
