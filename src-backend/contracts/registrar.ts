import { Type, type Static } from 'typebox';
import { Id, literals, NullableString, strict } from './common.js';
import { DECISION_STATUSES, GroupName, SELECTION_ACTIONS } from './courses.js';
import { PlainText } from './text-rules.js';

/**
 * Registration day (README "Registrar"): waitlists with swap, time tickets per group, reserved
 * seats, staff enrolment with overrides, the enrollment change log and the live board. The
 * routes are in routes/teacher.ts (admin side), routes/student.ts, routes/data-courses.ts and
 * routes/queue.ts.
 */

const IsoTime = Type.String({ format: 'date-time', maxLength: 40 });

// ---------------------------------------------------------------------------------------------
// Waitlists

/** POST /student/waitlist/join: `swapFrom` is a course the student holds, dropped only if this one is obtained. */
export const WaitlistJoinRequest = Type.Object({ courseId: Id, swapFrom: Type.Optional(Id) }, strict);
export type WaitlistJoinRequest = Static<typeof WaitlistJoinRequest>;

/** GET /student/waitlist: the student's entries, oldest first. */
export const WaitlistEntry = Type.Object({
  courseId: Type.Integer(),
  /** 1 = next to be promoted */
  position: Type.Integer(),
  swapFrom: Type.Union([Type.Integer(), Type.Null()]),
  joinedAt: Type.String(),
});
export type WaitlistEntry = Static<typeof WaitlistEntry>;
export const StudentWaitlistResponse = Type.Object({ entries: Type.Array(WaitlistEntry) });
export type StudentWaitlistResponse = Static<typeof StudentWaitlistResponse>;

/** GET /admin/waitlist?courseId=: a course's waitlist in promotion order (it cannot be reordered). */
export const CourseWaitlistQuery = Type.Object({ courseId: Id }, strict);
export const CourseWaitlistEntry = Type.Object({
  studentId: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  group: Type.Union([Type.String(), Type.Null()]),
  position: Type.Integer(),
  swapFrom: Type.Union([Type.Integer(), Type.Null()]),
  joinedAt: Type.String(),
});
export type CourseWaitlistEntry = Static<typeof CourseWaitlistEntry>;
export const CourseWaitlistResponse = Type.Object({
  courseId: Type.Integer(),
  entries: Type.Array(CourseWaitlistEntry),
});
export type CourseWaitlistResponse = Static<typeof CourseWaitlistResponse>;

/** POST /admin/waitlist/remove: take a student off a course's waitlist (404 when not on it). */
export const WaitlistRemoveRequest = Type.Object(
  { courseId: Id, studentId: Id, reason: Type.Optional(PlainText({ maxLength: 500 })) },
  strict,
);
export type WaitlistRemoveRequest = Static<typeof WaitlistRemoveRequest>;
export const WaitlistRemoveResponse = Type.Object({ removed: Type.Literal(true), courseId: Type.Integer() });

// ---------------------------------------------------------------------------------------------
// Staff enrolment with overrides

/**
 * POST /admin/enroll: through the queue like any selection, logged with the actor and reason.
 * Admins may grant every override; a teacher only on their own courses and never overCapacity.
 */
export const AdminEnrollRequest = Type.Object(
  {
    studentId: Id,
    courseId: Id,
    overCapacity: Type.Optional(Type.Boolean()),
    allowConflict: Type.Optional(Type.Boolean()),
    overCreditLimit: Type.Optional(Type.Boolean()),
    reason: PlainText({ minLength: 1, maxLength: 500 }),
  },
  strict,
);
export type AdminEnrollRequest = Static<typeof AdminEnrollRequest>;

// ---------------------------------------------------------------------------------------------
// Reserved seats

/** POST /admin/reservations: for a group or listed students (at least one of the two), until expiresAt. */
export const CreateReservationRequest = Type.Object(
  {
    courseId: Id,
    group: Type.Optional(GroupName),
    studentIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1000 })),
    seats: Type.Integer({ minimum: 1, maximum: 100_000 }),
    expiresAt: IsoTime,
  },
  strict,
);
export type CreateReservationRequest = Static<typeof CreateReservationRequest>;
/** PUT /admin/reservations/:id: any subset; the result must still name a group or students. */
export const UpdateReservationRequest = Type.Object(
  {
    group: Type.Optional(Type.Union([GroupName, Type.Null()])),
    studentIds: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
    seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    expiresAt: Type.Optional(IsoTime),
  },
  strict,
);
export type UpdateReservationRequest = Static<typeof UpdateReservationRequest>;
export const Reservation = Type.Object({
  id: Type.Integer(),
  courseId: Type.Integer(),
  group: Type.Union([Type.String(), Type.Null()]),
  studentIds: Type.Array(Type.Integer()),
  seats: Type.Integer(),
  /** enrolled students the reservation covers (at most `seats`) */
  used: Type.Integer(),
  /** seats still held for them: seats - used while active, 0 once expired */
  held: Type.Integer(),
  expiresAt: Type.String(),
  /** false once expired (its unused seats went to the general pool) */
  active: Type.Boolean(),
  createdAt: Type.String(),
});
export type Reservation = Static<typeof Reservation>;
export const ReservationResponse = Type.Object({ reservation: Reservation });
export type ReservationResponse = Static<typeof ReservationResponse>;
export const ReservationListQuery = Type.Object({ courseId: Type.Optional(Id) }, strict);
export const ReservationListResponse = Type.Object({ reservations: Type.Array(Reservation) });
export type ReservationListResponse = Static<typeof ReservationListResponse>;
export const ReservationDeleteResponse = Type.Object({ deleted: Type.Literal(true), id: Type.Integer() });

// ---------------------------------------------------------------------------------------------
// Time tickets (a selection window per student group)

export const TimeTicket = Type.Object(
  {
    group: GroupName,
    opensAt: IsoTime,
    closesAt: Type.Optional(NullableString({ format: 'date-time', maxLength: 40 })),
  },
  strict,
);
export type TimeTicket = Static<typeof TimeTicket>;
/** PUT /admin/time-tickets: replaces every ticket. A student whose group has none uses the global window. */
export const SetTimeTicketsRequest = Type.Object({ tickets: Type.Array(TimeTicket, { maxItems: 1000 }) }, strict);
export type SetTimeTicketsRequest = Static<typeof SetTimeTicketsRequest>;
export const TimeTicketsResponse = Type.Object({
  tickets: Type.Array(
    Type.Object({ group: Type.String(), opensAt: Type.String(), closesAt: Type.Union([Type.String(), Type.Null()]) }),
  ),
  /** every student group and its size, for the console's planner */
  groups: Type.Array(Type.Object({ group: Type.String(), students: Type.Integer() })),
});
export type TimeTicketsResponse = Static<typeof TimeTicketsResponse>;

/** GET /student/window: the student's own window (their group's ticket, else the global window). */
export const StudentWindow = Type.Object({
  group: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.Literal('ticket'), Type.Literal('global')]),
  opensAt: Type.Union([Type.String(), Type.Null()]),
  closesAt: Type.Union([Type.String(), Type.Null()]),
  open: Type.Boolean(),
  now: Type.String(),
});
export type StudentWindow = Static<typeof StudentWindow>;

// ---------------------------------------------------------------------------------------------
// Enrollment change log

/** What a log entry records: every decision status plus the side effects of promotion and staff actions. */
export const LOG_STATUSES = [
  ...DECISION_STATUSES,
  /** a waitlist head that failed its re-check; `reason` says which */
  'skipped',
  /** swapFrom dropped because the waitlisted course was obtained */
  'swapped',
  /** staff took the student off the course */
  'removed',
  /** staff took the student off the waitlist */
  'waitlist_removed',
] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];
export const LogStatusSchema = literals(LOG_STATUSES);

/** What caused an entry: a queue action, or a staff/system one. */
export const LOG_ACTIONS = [...SELECTION_ACTIONS, 'promote', 'remove', 'waitlist_remove'] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];
export const LogActionSchema = literals(LOG_ACTIONS);

export const EnrollmentLogEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  studentId: Type.Integer(),
  /** null when the account was deleted since */
  studentName: Type.Union([Type.String(), Type.Null()]),
  courseId: Type.Integer(),
  /** null when the course was deleted since */
  courseCode: Type.Union([Type.String(), Type.Null()]),
  action: LogActionSchema,
  status: LogStatusSchema,
  /** the queue ticket the entry belongs to, if any */
  ticket: Type.Union([Type.Integer(), Type.Null()]),
  /** staff who acted (enroll, remove); null for the student's own requests */
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  /** staff reason, or why a waitlist head was skipped */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** the other course of a swap */
  relatedCourseId: Type.Union([Type.Integer(), Type.Null()]),
});
export type EnrollmentLogEntry = Static<typeof EnrollmentLogEntry>;

/** GET /admin/enrollment-log: newest first; page on with beforeId = nextBeforeId. `format=csv` answers text/csv. */
export const EnrollmentLogQuery = Type.Object(
  {
    studentId: Type.Optional(Id),
    courseId: Type.Optional(Id),
    status: Type.Optional(LogStatusSchema),
    since: Type.Optional(IsoTime),
    until: Type.Optional(IsoTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    beforeId: Type.Optional(Id),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  strict,
);
export type EnrollmentLogQuery = Static<typeof EnrollmentLogQuery>;
export const EnrollmentLogPage = Type.Object({
  entries: Type.Array(EnrollmentLogEntry),
  /** pass as beforeId for the next (older) page; null = no more */
  nextBeforeId: Type.Union([Type.Integer(), Type.Null()]),
});
export type EnrollmentLogPage = Static<typeof EnrollmentLogPage>;
/** GET /student/history: the student's own entries, newest first. */
export const StudentHistoryQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), beforeId: Type.Optional(Id) },
  strict,
);
export type StudentHistoryQuery = Static<typeof StudentHistoryQuery>;

/** The CSV download's columns, in order (the header row). */
export const ENROLLMENT_LOG_CSV_COLUMNS = [
  'id',
  'at',
  'studentId',
  'studentName',
  'courseId',
  'courseCode',
  'action',
  'status',
  'ticket',
  'actorId',
  'actorName',
  'reason',
  'relatedCourseId',
] as const satisfies ReadonlyArray<keyof EnrollmentLogEntry>;

// ---------------------------------------------------------------------------------------------
// Registration board

/** One course on the board: its fill and its unmet demand (refusals by reason). */
export const BoardCourse = Type.Object({
  courseId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  enrolled: Type.Integer(),
  capacity: Type.Integer(),
  overrideSeats: Type.Integer(),
  reservedSeats: Type.Integer(),
  waitlisted: Type.Integer(),
  /** refused requests by status (full, conflict, over_credit_limit, window_closed, waitlist_full, ...) */
  refusals: Type.Record(Type.String(), Type.Integer()),
});
export type BoardCourse = Static<typeof BoardCourse>;

/** The queue's own figures: rates over the last few seconds, latencies over the last decisions. */
export const QueueBoardSample = Type.Object({
  at: Type.String(),
  /** decisions per second over the last sampling interval */
  decidedPerSec: Type.Number(),
  /** request arrival at queue_node to decision, ms; null before any decision */
  p50Ms: Type.Union([Type.Number(), Type.Null()]),
  p99Ms: Type.Union([Type.Number(), Type.Null()]),
  /** requests accepted but not decided yet (waiting in queue_node plus undecided tickets) */
  backlog: Type.Integer(),
});
export type QueueBoardSample = Static<typeof QueueBoardSample>;
export const QueueBoard = Type.Object({
  ...QueueBoardSample.properties,
  /** one sample every 5 s over the last 15 minutes, oldest first (the console's chart) */
  history: Type.Array(QueueBoardSample),
});
export type QueueBoard = Static<typeof QueueBoard>;

/** GET /admin/registration-board, and `board:update` on /admin. */
export const RegistrationBoard = Type.Object({
  ...QueueBoard.properties,
  courses: Type.Array(BoardCourse),
});
export type RegistrationBoard = Static<typeof RegistrationBoard>;
export const BoardCoursesResponse = Type.Object({ courses: Type.Array(BoardCourse) });
export type BoardCoursesResponse = Static<typeof BoardCoursesResponse>;
