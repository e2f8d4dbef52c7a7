import { Type, type Static } from 'typebox';
import { created, Id, IdParams, ok, strict } from '../common.js';
import {
  Actor,
  AvailableCoursesRequest,
  AvailableCoursesResponse,
  CourseCheckResponse,
  CourseListQuery,
  CourseListResponse,
  CourseResponse,
  CreateCourseRequest,
  CreditLimitResponse,
  DecisionStatusSchema,
  DeleteCourseResponse,
  QueueRequestItem,
  QueueStatusResponse,
  RejectReason,
  RemoveStudentResponse,
  ScheduleResponse,
  SelectedCoursesResponse,
  SelectionAction,
  SelectionDecided,
  SelectionWindow,
  SetCreditLimitRequest,
  SetSelectionWindowRequest,
  StudentCourse,
  StudentRef,
  StudentStats,
  TeacherCourseDetailResponse,
  TeacherStats,
  UpdateCourseRequest,
} from '../courses.js';
import {
  BoardCoursesResponse,
  CourseWaitlistResponse,
  CreateReservationRequest,
  EnrollmentLogPage,
  EnrollmentLogQuery,
  ReservationDeleteResponse,
  ReservationListResponse,
  ReservationResponse,
  SetTimeTicketsRequest,
  StudentHistoryQuery,
  StudentWaitlistResponse,
  StudentWindow,
  TimeTicketsResponse,
  UpdateReservationRequest,
  WaitlistRemoveRequest,
  WaitlistRemoveResponse,
} from '../registrar.js';
import { Notification } from '../realtime.js';
import { routeTable } from '../route.js';
import { HEALTH } from './shared.js';

/**
 * data_node's course API: storage for teacher_node, student_node and queue_node, which pass the
 * acting user explicitly. Only the course list (and /health) is public.
 */

export const DataCreateCourseRequest = Type.Object({ actor: Actor, course: CreateCourseRequest }, strict);
export type DataCreateCourseRequest = Static<typeof DataCreateCourseRequest>;
export const DataGetCourseRequest = Type.Object(
  { actor: Actor, courseId: Id, withStudents: Type.Optional(Type.Boolean()) },
  strict,
);
export type DataGetCourseRequest = Static<typeof DataGetCourseRequest>;
export const DataUpdateCourseRequest = Type.Object({ actor: Actor, update: UpdateCourseRequest }, strict);
export type DataUpdateCourseRequest = Static<typeof DataUpdateCourseRequest>;
export const DataDeleteCourseRequest = Type.Object(
  { actor: Actor, courseId: Id, force: Type.Optional(Type.Boolean()) },
  strict,
);
export type DataDeleteCourseRequest = Static<typeof DataDeleteCourseRequest>;
export const DataRemoveStudentRequest = Type.Object({ actor: Actor, courseId: Id, studentId: Id }, strict);
export type DataRemoveStudentRequest = Static<typeof DataRemoveStudentRequest>;
export const DataStatsRequest = Type.Object({ actor: Actor }, strict);
/** window and credit-limit changes carry the admin for the audit log */
export const DataSetWindowRequest = Type.Object({ actor: Actor, window: SetSelectionWindowRequest }, strict);
export const DataWindowActionRequest = Type.Object({ actor: Actor }, strict);
export const DataSetCreditLimitRequest = Type.Object({ actor: Actor, limit: SetCreditLimitRequest }, strict);

export const DataAvailableRequest = Type.Object({ student: StudentRef, filter: AvailableCoursesRequest }, strict);
export type DataAvailableRequest = Static<typeof DataAvailableRequest>;
export const DataStudentCourseRequest = Type.Object({ student: StudentRef, courseId: Id }, strict);
export type DataStudentCourseRequest = Static<typeof DataStudentCourseRequest>;
export const DataStudentRequest = Type.Object({ student: StudentRef }, strict);
export type DataStudentRequest = Static<typeof DataStudentRequest>;
export const DataStudentCourseResponse = Type.Object({ course: StudentCourse, check: CourseCheckResponse });
export type DataStudentCourseResponse = Static<typeof DataStudentCourseResponse>;

export const DataQueueDecideRequest = Type.Object({ max: Type.Integer({ minimum: 1, maximum: 20_000 }) }, strict);
export type DataQueueDecideRequest = Static<typeof DataQueueDecideRequest>;
/**
 * One decided ticket, with the student it belongs to (for the outcome event); a promotion also
 * carries the notification persisted with it, for queue_node to push as `notification:new`.
 */
export const DecidedTicket = Type.Object({
  ...SelectionDecided.properties,
  studentId: Type.Integer(),
  notification: Type.Optional(Notification),
});
export type DecidedTicket = Static<typeof DecidedTicket>;
export const SeatCount = Type.Object({
  courseId: Type.Integer(),
  enrolled: Type.Integer(),
  capacity: Type.Integer(),
  seatsLeft: Type.Integer(),
});
export type SeatCount = Static<typeof SeatCount>;

/**
 * POST /queue/submit: ONE transaction persists every new request as a ticket (a retried
 * requestId finds its existing ticket) and decides the oldest undecided tickets, FIFO.
 */
export const DataQueueSubmitRequest = Type.Object(
  {
    requests: Type.Array(QueueRequestItem, { maxItems: 20_000 }),
    maxDecide: Type.Integer({ minimum: 1, maximum: 20_000 }),
  },
  strict,
);
export type DataQueueSubmitRequest = Static<typeof DataQueueSubmitRequest>;
export const DataQueueSubmitResponse = Type.Object({
  /** per request, in order: its ticket, or why it was refused */
  tickets: Type.Array(
    Type.Object({
      requestId: Type.String(),
      courseId: Type.Integer(),
      action: SelectionAction,
      ticket: Type.Optional(Type.Integer()),
      rejected: Type.Optional(RejectReason),
    }),
  ),
  /** tickets decided by this transaction (new or older ones), and earlier decisions of retried requests */
  decided: Type.Array(DecidedTicket),
  seats: Type.Array(SeatCount),
  /** undecided tickets left after this transaction */
  pending: Type.Integer(),
});
export type DataQueueSubmitResponse = Static<typeof DataQueueSubmitResponse>;
export const DataQueueDecideResponse = Type.Object({
  decided: Type.Array(DecidedTicket),
  seats: Type.Array(SeatCount),
  pending: Type.Integer(),
});
export type DataQueueDecideResponse = Static<typeof DataQueueDecideResponse>;

/** POST /queue/snapshot {tickets}: positions of still-undecided tickets (for 202 answers); null once decided; a ticket that no longer exists is left out. */
export const DataQueueSnapshotRequest = Type.Object({ tickets: Type.Array(Id, { maxItems: 20_000 }) }, strict);
export const DataQueueSnapshotResponse = Type.Object({
  positions: Type.Array(
    Type.Object({
      ticket: Type.Integer(),
      position: Type.Union([Type.Integer(), Type.Null()]),
      /** the decision, once there is one */
      status: Type.Union([DecisionStatusSchema, Type.Null()]),
      studentId: Type.Integer(),
    }),
  ),
});
export type DataQueueSnapshotResponse = Static<typeof DataQueueSnapshotResponse>;

export const CountResponse = Type.Object({ count: Type.Integer() });

/**
 * A staff change that freed seats promoted these waitlisted students in its own transaction;
 * the caller publishes their `selection:outcome` (status `promoted`) and the seat counts.
 */
export const Promotions = {
  promoted: Type.Array(DecidedTicket),
  seats: Type.Array(SeatCount),
};
export const DataCourseChangeResponse = Type.Object({ ...CourseResponse.properties, ...Promotions });
export type DataCourseChangeResponse = Static<typeof DataCourseChangeResponse>;
export const DataRemoveStudentResponse = Type.Object({ ...RemoveStudentResponse.properties, ...Promotions });
export type DataRemoveStudentResponse = Static<typeof DataRemoveStudentResponse>;

export const DataCourseWaitlistRequest = Type.Object({ actor: Actor, courseId: Id }, strict);
export const DataWaitlistRemoveRequest = Type.Object({ actor: Actor, remove: WaitlistRemoveRequest }, strict);
export const DataCreateReservationRequest = Type.Object(
  { actor: Actor, reservation: CreateReservationRequest },
  strict,
);
export const DataReservationListRequest = Type.Object({ actor: Actor, courseId: Type.Optional(Id) }, strict);
export const DataUpdateReservationRequest = Type.Object(
  { actor: Actor, id: Id, update: UpdateReservationRequest },
  strict,
);
export const DataDeleteReservationRequest = Type.Object({ actor: Actor, id: Id }, strict);
export const DataReservationChangeResponse = Type.Object({ ...ReservationResponse.properties, ...Promotions });
export const DataReservationDeleteResponse = Type.Object({ ...ReservationDeleteResponse.properties, ...Promotions });
export const DataSetTimeTicketsRequest = Type.Object({ actor: Actor, tickets: SetTimeTicketsRequest }, strict);
/** the log query without `format` (the CSV is written by teacher_node) and with a larger page for the download */
export const DataEnrollmentLogRequest = Type.Object(
  {
    actor: Actor,
    query: Type.Omit(EnrollmentLogQuery, ['format', 'limit']),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  },
  strict,
);
export type DataEnrollmentLogRequest = Static<typeof DataEnrollmentLogRequest>;
export const DataStudentHistoryRequest = Type.Object({ student: StudentRef, query: StudentHistoryQuery }, strict);

export const DataCourseRoutes = routeTable('data_node', {
  health: HEALTH,
  list: {
    method: 'GET',
    url: '/courses',
    summary: 'Every course with its seats, filtered by teacher, text or day',
    access: 'public',
    schema: { querystring: CourseListQuery, response: ok(CourseListResponse) },
  },
  get: {
    method: 'GET',
    url: '/courses/:id',
    summary: 'One course (404 COURSE_NOT_FOUND)',
    access: 'internal',
    schema: { params: IdParams, response: ok(CourseResponse) },
  },
  create: {
    method: 'POST',
    url: '/courses/create',
    summary: 'Create a course for an actor',
    access: 'internal',
    schema: { body: DataCreateCourseRequest, response: created(CourseResponse) },
  },
  owned: {
    method: 'POST',
    url: '/courses/get',
    summary: 'A course the actor may manage, with its students if asked',
    access: 'internal',
    schema: { body: DataGetCourseRequest, response: ok(TeacherCourseDetailResponse) },
  },
  update: {
    method: 'POST',
    url: '/courses/update',
    summary: 'Change a course the actor may manage',
    access: 'internal',
    schema: { body: DataUpdateCourseRequest, response: ok(DataCourseChangeResponse) },
  },
  remove: {
    method: 'POST',
    url: '/courses/delete',
    summary: 'Delete a course the actor may manage (force when it has students)',
    access: 'internal',
    schema: { body: DataDeleteCourseRequest, response: ok(DeleteCourseResponse) },
  },
  removeStudent: {
    method: 'POST',
    url: '/courses/remove-student',
    summary: 'Take a student off a course the actor may manage',
    access: 'internal',
    schema: { body: DataRemoveStudentRequest, response: ok(DataRemoveStudentResponse) },
  },
  stats: {
    method: 'POST',
    url: '/courses/stats',
    summary: "Fill figures over the actor's courses",
    access: 'internal',
    schema: { body: DataStatsRequest, response: ok(TeacherStats) },
  },
  available: {
    method: 'POST',
    url: '/courses/available',
    summary: "Courses open to a student's group, as that student sees them",
    access: 'internal',
    schema: { body: DataAvailableRequest, response: ok(AvailableCoursesResponse) },
  },
  studentView: {
    method: 'POST',
    url: '/courses/student-view',
    summary: 'One course as a student sees it, and whether a select would succeed',
    access: 'internal',
    schema: { body: DataStudentCourseRequest, response: ok(DataStudentCourseResponse) },
  },
  selected: {
    method: 'POST',
    url: '/enrollments/of-student',
    summary: "A student's courses and credits",
    access: 'internal',
    schema: { body: DataStudentRequest, response: ok(SelectedCoursesResponse) },
  },
  schedule: {
    method: 'POST',
    url: '/enrollments/schedule',
    summary: "A student's weekly meetings",
    access: 'internal',
    schema: { body: DataStudentRequest, response: ok(ScheduleResponse) },
  },
  studentStats: {
    method: 'POST',
    url: '/enrollments/student-stats',
    summary: "A student's credit and queue figures",
    access: 'internal',
    schema: { body: DataStudentRequest, response: ok(StudentStats) },
  },
  tickets: {
    method: 'POST',
    url: '/queue/tickets',
    summary: "A student's recent queue tickets, newest first",
    access: 'internal',
    schema: { body: DataStudentRequest, response: ok(QueueStatusResponse) },
  },
  window: {
    method: 'GET',
    url: '/selection-window',
    summary: 'The selection window and the default credit limit',
    access: 'internal',
    schema: { response: ok(SelectionWindow) },
  },
  setWindow: {
    method: 'PUT',
    url: '/selection-window',
    summary: 'Set the selection window (audited)',
    access: 'internal',
    schema: { body: DataSetWindowRequest, response: ok(SelectionWindow) },
  },
  openWindow: {
    method: 'POST',
    url: '/selection-window/open',
    summary: 'Open selection now (audited)',
    access: 'internal',
    schema: { body: DataWindowActionRequest, response: ok(SelectionWindow) },
  },
  closeWindow: {
    method: 'POST',
    url: '/selection-window/close',
    summary: 'Close selection now (audited)',
    access: 'internal',
    schema: { body: DataWindowActionRequest, response: ok(SelectionWindow) },
  },
  setCreditLimit: {
    method: 'PUT',
    url: '/credit-limits',
    summary: "Set one student's credit limit (audited)",
    access: 'internal',
    schema: { body: DataSetCreditLimitRequest, response: ok(CreditLimitResponse) },
  },
  queueSubmit: {
    method: 'POST',
    url: '/queue/submit',
    summary: 'Persist queue requests as tickets and decide the oldest undecided ones, in one transaction',
    access: 'internal',
    schema: { body: DataQueueSubmitRequest, response: ok(DataQueueSubmitResponse) },
  },
  queueDecide: {
    method: 'POST',
    url: '/queue/decide',
    summary: 'Decide the oldest undecided tickets, FIFO',
    access: 'internal',
    schema: { body: DataQueueDecideRequest, response: ok(DataQueueDecideResponse) },
  },
  queueSnapshot: {
    method: 'POST',
    url: '/queue/snapshot',
    summary: 'Positions (or decisions) of queue tickets',
    access: 'internal',
    schema: { body: DataQueueSnapshotRequest, response: ok(DataQueueSnapshotResponse) },
  },
  // Registration day ---------------------------------------------------------------------------
  studentWaitlist: {
    method: 'POST',
    url: '/waitlist/of-student',
    summary: "A student's waitlist entries with positions",
    access: 'internal',
    schema: { body: DataStudentRequest, response: ok(StudentWaitlistResponse) },
  },
  courseWaitlist: {
    method: 'POST',
    url: '/waitlist/of-course',
    summary: "A course's waitlist in promotion order, for an actor who may manage it",
    access: 'internal',
    schema: { body: DataCourseWaitlistRequest, response: ok(CourseWaitlistResponse) },
  },
  waitlistRemove: {
    method: 'POST',
    url: '/waitlist/remove',
    summary: 'Take a student off a waitlist (logged)',
    access: 'internal',
    schema: { body: DataWaitlistRemoveRequest, response: ok(WaitlistRemoveResponse) },
  },
  createReservation: {
    method: 'POST',
    url: '/reservations/create',
    summary: 'Hold seats of a course for a group or students (audited)',
    access: 'internal',
    schema: { body: DataCreateReservationRequest, response: created(ReservationResponse) },
  },
  reservations: {
    method: 'POST',
    url: '/reservations/list',
    summary: 'Reservations, of one course or all',
    access: 'internal',
    schema: { body: DataReservationListRequest, response: ok(ReservationListResponse) },
  },
  updateReservation: {
    method: 'POST',
    url: '/reservations/update',
    summary: 'Change a reservation; seats it gives back promote the waitlist in the same transaction',
    access: 'internal',
    schema: { body: DataUpdateReservationRequest, response: ok(DataReservationChangeResponse) },
  },
  deleteReservation: {
    method: 'POST',
    url: '/reservations/delete',
    summary: 'Delete a reservation; its held seats promote the waitlist in the same transaction',
    access: 'internal',
    schema: { body: DataDeleteReservationRequest, response: ok(DataReservationDeleteResponse) },
  },
  timeTickets: {
    method: 'GET',
    url: '/time-tickets',
    summary: 'Time tickets per group, and the group sizes',
    access: 'internal',
    schema: { response: ok(TimeTicketsResponse) },
  },
  setTimeTickets: {
    method: 'PUT',
    url: '/time-tickets',
    summary: 'Replace every time ticket (audited)',
    access: 'internal',
    schema: { body: DataSetTimeTicketsRequest, response: ok(TimeTicketsResponse) },
  },
  studentWindow: {
    method: 'POST',
    url: '/selection-window/of-student',
    summary: "A student's own window: their group's time ticket, else the global window",
    access: 'internal',
    schema: { body: DataStudentRequest, response: ok(StudentWindow) },
  },
  enrollmentLog: {
    method: 'POST',
    url: '/enrollment-log',
    summary: "The enrollment change log, filtered and paged (a teacher sees their own courses')",
    access: 'internal',
    schema: { body: DataEnrollmentLogRequest, response: ok(EnrollmentLogPage) },
  },
  studentHistory: {
    method: 'POST',
    url: '/enrollment-log/of-student',
    summary: "One student's enrollment change log",
    access: 'internal',
    schema: { body: DataStudentHistoryRequest, response: ok(EnrollmentLogPage) },
  },
  boardCourses: {
    method: 'GET',
    url: '/registrar/board-courses',
    summary: 'Per course: enrolled, capacity, waitlisted, reserved and refusals by reason',
    access: 'internal',
    schema: { response: ok(BoardCoursesResponse) },
  },
  queuePending: {
    method: 'GET',
    url: '/queue/pending',
    summary: 'How many tickets are undecided',
    access: 'internal',
    schema: { response: ok(CountResponse) },
  },
});

/** The course list's path for the console's fetch calls (src-renderer). */
export const DATA_COURSE_PATHS = { list: DataCourseRoutes.list.url } as const;
