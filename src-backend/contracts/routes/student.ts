import {
  AvailableCoursesRequest,
  AvailableCoursesResponse,
  CourseCheckResponse,
  CourseIdRequest,
  QueueStatusResponse,
  ScheduleResponse,
  SelectedCoursesResponse,
  SelectionHeaders,
  StudentCourseDetailResponse,
  StudentStats,
} from '../courses.js';
import { ok } from '../common.js';
import {
  EnrollmentLogPage,
  StudentHistoryQuery,
  StudentWaitlistResponse,
  StudentWindow,
  WaitlistJoinRequest,
} from '../registrar.js';
import { routeTable } from '../route.js';
import { FORGET_SESSIONS, HEALTH, SELECTION_RESPONSES as selectionResponses } from './shared.js';

/**
 * student_node: browsing, selecting and the student's own picture. Every route but /health
 * wants a student's bearer session. Select and deselect take an optional `Idempotency-Key`: a
 * client that lost an answer sends the same request with the same key and gets the same ticket
 * and decision back, never a second ticket.
 */
export const StudentRoutes = routeTable('student_node', {
  health: HEALTH,
  available: {
    method: 'POST',
    url: '/student/courses/available',
    summary: "Courses open to the student's group, filtered, with conflicts marked",
    access: 'public',
    schema: { body: AvailableCoursesRequest, response: ok(AvailableCoursesResponse) },
  },
  selected: {
    method: 'GET',
    url: '/student/courses/selected',
    summary: "The student's courses, credits and credit limit",
    access: 'public',
    schema: { response: ok(SelectedCoursesResponse) },
  },
  select: {
    method: 'POST',
    url: '/student/course/select',
    summary: 'Ask for a seat: 200 decided, or 202 queued with a ticket to poll',
    access: 'public',
    schema: { body: CourseIdRequest, headers: SelectionHeaders, response: selectionResponses },
  },
  deselect: {
    method: 'POST',
    url: '/student/course/deselect',
    summary: 'Give a seat back: 200 decided, or 202 queued with a ticket to poll',
    access: 'public',
    schema: { body: CourseIdRequest, headers: SelectionHeaders, response: selectionResponses },
  },
  detail: {
    method: 'POST',
    url: '/student/course/detail',
    summary: 'One course as the student sees it',
    access: 'public',
    schema: { body: CourseIdRequest, response: ok(StudentCourseDetailResponse) },
  },
  check: {
    method: 'POST',
    url: '/student/course/check',
    summary: 'Would a select of this course succeed right now, and why not',
    access: 'public',
    schema: { body: CourseIdRequest, response: ok(CourseCheckResponse) },
  },
  schedule: {
    method: 'GET',
    url: '/student/schedule',
    summary: "The student's weekly meetings, for a Monday-Sunday grid",
    access: 'public',
    schema: { response: ok(ScheduleResponse) },
  },
  stats: {
    method: 'GET',
    url: '/student/stats',
    summary: "The student's credits, weekly hours and pending tickets",
    access: 'public',
    schema: { response: ok(StudentStats) },
  },
  queueStatus: {
    method: 'GET',
    url: '/student/queue/status',
    summary: "The student's recent queue tickets, newest first",
    access: 'public',
    schema: { response: ok(QueueStatusResponse) },
  },
  waitlistJoin: {
    method: 'POST',
    url: '/student/waitlist/join',
    summary:
      "Join a full course's waitlist (optionally swapping a held course): waitlisted with a position, selected when a seat is free, or a refusal",
    access: 'public',
    schema: { body: WaitlistJoinRequest, headers: SelectionHeaders, response: selectionResponses },
  },
  waitlistLeave: {
    method: 'POST',
    url: '/student/waitlist/leave',
    summary: "Leave a course's waitlist: left, or not_waitlisted",
    access: 'public',
    schema: { body: CourseIdRequest, headers: SelectionHeaders, response: selectionResponses },
  },
  waitlist: {
    method: 'GET',
    url: '/student/waitlist',
    summary: "The student's waitlist entries with their positions",
    access: 'public',
    schema: { response: ok(StudentWaitlistResponse) },
  },
  history: {
    method: 'GET',
    url: '/student/history',
    summary: "The student's own enrollment change log, newest first",
    access: 'public',
    schema: { querystring: StudentHistoryQuery, response: ok(EnrollmentLogPage) },
  },
  window: {
    method: 'GET',
    url: '/student/window',
    summary: "The student's selection window: their group's time ticket, else the global window",
    access: 'public',
    schema: { response: ok(StudentWindow) },
  },
  forgetSessions: FORGET_SESSIONS,
});
