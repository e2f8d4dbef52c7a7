import {
  AvailableCoursesRequest,
  AvailableCoursesResponse,
  CourseCheckResponse,
  CourseIdRequest,
  QueueStatusResponse,
  ScheduleResponse,
  SelectedCoursesResponse,
  SelectionDecided,
  SelectionHeaders,
  SelectionQueued,
  SelectionWindow,
  StudentCourseDetailResponse,
  StudentStats,
} from '../courses.js';
import { errorResponses, ok } from '../common.js';
import { routeTable } from '../route.js';
import { FORGET_SESSIONS, HEALTH } from './shared.js';

/** 200 decided, or 202 accepted but not decided within ~2 s (poll the queue status). */
const selectionResponses = { 200: SelectionDecided, 202: SelectionQueued, ...errorResponses };

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
  selectionWindow: {
    method: 'GET',
    url: '/student/selection-window',
    summary: 'When selection opens and closes, for a countdown',
    access: 'public',
    schema: { response: ok(SelectionWindow) },
  },
  forgetSessions: FORGET_SESSIONS,
});
