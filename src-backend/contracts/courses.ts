import { Type, type Static } from 'typebox';
import { MultilineText, PlainText } from './text-rules.js';

/**
 * Course shapes: courses, enrollments, the selection window and the registration queue, as
 * teacher_node, student_node and queue_node (routes/teacher.ts, routes/student.ts,
 * routes/queue.ts) and the data_node routes behind them (routes/data-courses.ts) take and
 * answer them. Bodies are camelCase JSON; every request object rejects unknown properties.
 */

import { Id, literals, NullableInteger, NullableString, strict } from './common.js';

// ---------------------------------------------------------------------------------------------
// Shapes

/** "HH:MM", 00:00-23:59 */
export const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** One weekly meeting: day 1 (Monday) to 7 (Sunday); `end` must be after `start`. */
export const Slot = Type.Object(
  { day: Type.Integer({ minimum: 1, maximum: 7 }), start: TimeOfDay, end: TimeOfDay },
  strict,
);
export type Slot = Static<typeof Slot>;

export const CourseCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$' });
export const GroupName = PlainText({ minLength: 1, maxLength: 64 });

export const Course = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  teacherId: Type.Union([Type.Integer(), Type.Null()]),
  teacherName: Type.Union([Type.String(), Type.Null()]),
  capacity: Type.Integer(),
  enrolled: Type.Integer(),
  seatsLeft: Type.Integer(),
  credits: Type.Integer(),
  slots: Type.Array(Slot),
  location: Type.String(),
  description: Type.String(),
  /** empty: open to every group */
  allowedGroups: Type.Array(Type.String()),
  /** students may join the waitlist when the course is full */
  waitlistEnabled: Type.Boolean(),
  /** most students on the waitlist at once; null = no cap */
  waitlistCap: Type.Union([Type.Integer(), Type.Null()]),
  /** students on the waitlist now */
  waitlisted: Type.Integer(),
  /** seats held by unexpired reservations and not yet taken by their students (left out of seatsLeft) */
  reservedSeats: Type.Integer(),
  /** seats granted beyond capacity by staff `overCapacity` overrides (the database allows capacity + this) */
  overrideSeats: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Course = Static<typeof Course>;

export const EnrolledStudent = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  group: Type.Union([Type.String(), Type.Null()]),
  enrolledAt: Type.String(),
});
export type EnrolledStudent = Static<typeof EnrolledStudent>;

/** A course as one student sees it. */
export const StudentCourse = Type.Object({
  ...Course.properties,
  selected: Type.Boolean(),
  /** true when one of its slots overlaps a course the student already holds */
  conflict: Type.Boolean(),
  conflictsWith: Type.Array(Type.Integer()),
  /** open to the student's group */
  openToYou: Type.Boolean(),
});
export type StudentCourse = Static<typeof StudentCourse>;

export const SelectionWindow = Type.Object({
  /** ISO time; null = not scheduled */
  opensAt: Type.Union([Type.String(), Type.Null()]),
  /** ISO time; null = stays open once opened */
  closesAt: Type.Union([Type.String(), Type.Null()]),
  open: Type.Boolean(),
  defaultCreditLimit: Type.Integer(),
  now: Type.String(),
});
export type SelectionWindow = Static<typeof SelectionWindow>;

// ---------------------------------------------------------------------------------------------
// Queue outcomes

/**
 * What a queue request asks for: `select`/`deselect` a seat, `join`/`leave` a course's waitlist
 * (a join may name `swapFrom`), and `enroll`, a staff enrolment with overrides.
 */
export const SELECTION_ACTIONS = ['select', 'deselect', 'join', 'leave', 'enroll'] as const;
export const SelectionAction = literals(SELECTION_ACTIONS);
export type SelectionAction = Static<typeof SelectionAction>;

/**
 * How a decided request ended. `deselected`: the seat was given back; `not_selected`: a
 * deselect of a course the student did not hold.
 */
export const DECISION_STATUSES = [
  'selected',
  'full',
  'conflict',
  'already_selected',
  'window_closed',
  'over_credit_limit',
  'not_selected',
  'deselected',
  // waitlists (join / leave)
  'waitlisted',
  'already_waitlisted',
  /** the waitlist has reached the course's waitlistCap */
  'waitlist_full',
  /** the course has its waitlist turned off */
  'waitlist_closed',
  'left',
  'not_waitlisted',
  /** a waitlisted student got the seat (selection:outcome of the join ticket) */
  'promoted',
  /** a staff enrolment that needed one of its overrides */
  'overridden',
] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];
export const DecisionStatusSchema = literals(DECISION_STATUSES);

/** 200: decided. */
export const SelectionDecided = Type.Object({
  status: DecisionStatusSchema,
  ticket: Type.Integer(),
  courseId: Type.Integer(),
  action: SelectionAction,
  /** `waitlisted`: the place on the course's waitlist (1 = next to be promoted) */
  position: Type.Optional(Type.Integer()),
  /** `window_closed`: when this student's window opens (their group's time ticket, else the global window); null = not scheduled */
  opensAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** a join with swapFrom that got its seat: the course dropped in the same transaction */
  swappedFrom: Type.Optional(Type.Integer()),
});
export type SelectionDecided = Static<typeof SelectionDecided>;

/** 202: accepted (persisted) but not decided within ~2 s; poll GET /student/queue/status. */
export const SelectionQueued = Type.Object({
  status: Type.Literal('queued'),
  ticket: Type.Integer(),
  /** 1 = next to be decided for this course */
  position: Type.Integer(),
  courseId: Type.Integer(),
  action: SelectionAction,
});
export type SelectionQueued = Static<typeof SelectionQueued>;

export const QueueTicket = Type.Object({
  ticket: Type.Integer(),
  courseId: Type.Integer(),
  courseCode: Type.Union([Type.String(), Type.Null()]),
  action: SelectionAction,
  /** null while queued */
  status: Type.Union([DecisionStatusSchema, Type.Null()]),
  /** place in the course's queue while undecided; null once decided */
  position: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
});
export type QueueTicket = Static<typeof QueueTicket>;

// ---------------------------------------------------------------------------------------------
// Teacher service (teacher_node): a teacher acts on their own courses, an admin on any.

/** One course's fields with their limits; the create and update requests and the CSV import use them. */
export const CourseFields = {
  code: CourseCode,
  name: PlainText({ minLength: 1, maxLength: 200 }),
  capacity: Type.Integer({ minimum: 0, maximum: 100_000 }),
  credits: Type.Integer({ minimum: 0, maximum: 30 }),
  slots: Type.Array(Slot, { maxItems: 21 }),
  location: PlainText({ maxLength: 200 }),
  description: MultilineText({ maxLength: 4000 }),
  allowedGroups: Type.Array(GroupName, { maxItems: 100 }),
  waitlistEnabled: Type.Boolean(),
  waitlistCap: NullableInteger({ minimum: 0, maximum: 100_000 }),
};

/** GET /teacher/courses → 200 */
export const TeacherCoursesResponse = Type.Object({ courses: Type.Array(Course) });
export type TeacherCoursesResponse = Static<typeof TeacherCoursesResponse>;

/** POST /teacher/course/detail */
export const CourseIdRequest = Type.Object({ courseId: Id }, strict);
export type CourseIdRequest = Static<typeof CourseIdRequest>;
export const TeacherCourseDetailResponse = Type.Object({ course: Course, students: Type.Array(EnrolledStudent) });
export type TeacherCourseDetailResponse = Static<typeof TeacherCourseDetailResponse>;

/** POST /teacher/course/create → 201 {course}. `teacherId` is for admins assigning a teacher. */
export const CreateCourseRequest = Type.Object(
  {
    code: CourseFields.code,
    name: CourseFields.name,
    capacity: CourseFields.capacity,
    credits: CourseFields.credits,
    slots: CourseFields.slots,
    location: Type.Optional(CourseFields.location),
    description: Type.Optional(CourseFields.description),
    allowedGroups: Type.Optional(CourseFields.allowedGroups),
    /** default true */
    waitlistEnabled: Type.Optional(CourseFields.waitlistEnabled),
    /** default null (no cap) */
    waitlistCap: Type.Optional(CourseFields.waitlistCap),
    teacherId: Type.Optional(Id),
  },
  strict,
);
export type CreateCourseRequest = Static<typeof CreateCourseRequest>;
export const CourseResponse = Type.Object({ course: Course });
export type CourseResponse = Static<typeof CourseResponse>;

/** PUT /teacher/course/update: any subset of the fields. Capacity may not drop below enrollment (409). */
export const UpdateCourseRequest = Type.Object(
  {
    courseId: Id,
    code: Type.Optional(CourseFields.code),
    name: Type.Optional(CourseFields.name),
    capacity: Type.Optional(CourseFields.capacity),
    credits: Type.Optional(CourseFields.credits),
    slots: Type.Optional(CourseFields.slots),
    location: Type.Optional(CourseFields.location),
    description: Type.Optional(CourseFields.description),
    allowedGroups: Type.Optional(CourseFields.allowedGroups),
    waitlistEnabled: Type.Optional(CourseFields.waitlistEnabled),
    waitlistCap: Type.Optional(CourseFields.waitlistCap),
    /** admins only: hand the course to another teacher */
    teacherId: Type.Optional(Id),
  },
  strict,
);
export type UpdateCourseRequest = Static<typeof UpdateCourseRequest>;

/** DELETE /teacher/course/delete: a course with students needs `force: true` (409 otherwise). */
export const DeleteCourseRequest = Type.Object({ courseId: Id, force: Type.Optional(Type.Boolean()) }, strict);
export type DeleteCourseRequest = Static<typeof DeleteCourseRequest>;
export const DeleteCourseResponse = Type.Object({
  deleted: Type.Literal(true),
  courseId: Type.Integer(),
  removedEnrollments: Type.Integer(),
});
export type DeleteCourseResponse = Static<typeof DeleteCourseResponse>;

/** POST /teacher/student/remove → 200 {removed, course}; 404 when the student is not enrolled. */
export const RemoveStudentRequest = Type.Object({ courseId: Id, studentId: Id }, strict);
export type RemoveStudentRequest = Static<typeof RemoveStudentRequest>;
export const RemoveStudentResponse = Type.Object({ removed: Type.Literal(true), course: Course });
export type RemoveStudentResponse = Static<typeof RemoveStudentResponse>;

/** GET /teacher/stats: over the teacher's own courses (all courses for an admin). */
export const TeacherStats = Type.Object({
  courseCount: Type.Integer(),
  totalCapacity: Type.Integer(),
  totalEnrolled: Type.Integer(),
  /** enrolled / capacity over all courses, 0-1 */
  fillRate: Type.Number(),
  fullCourses: Type.Integer(),
  courses: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      capacity: Type.Integer(),
      enrolled: Type.Integer(),
    }),
  ),
});
export type TeacherStats = Static<typeof TeacherStats>;

// Admin: the selection window and credit limits (teacher_node, admin role).

/** PUT /admin/selection-window → 200 SelectionWindow. closesAt must be after opensAt. */
export const SetSelectionWindowRequest = Type.Object(
  {
    opensAt: NullableString({ format: 'date-time', maxLength: 40 }),
    closesAt: NullableString({ format: 'date-time', maxLength: 40 }),
    defaultCreditLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 200 })),
  },
  strict,
);
export type SetSelectionWindowRequest = Static<typeof SetSelectionWindowRequest>;
/** POST /admin/selection-window/open and /close: open now (until closed), or close now. Body {}. */
export const EmptyRequest = Type.Object({}, strict);

/** PUT /admin/credit-limit: a student's own limit; null goes back to the default. */
export const SetCreditLimitRequest = Type.Object(
  { studentId: Id, creditLimit: NullableInteger({ minimum: 0, maximum: 200 }) },
  strict,
);
export type SetCreditLimitRequest = Static<typeof SetCreditLimitRequest>;
export const CreditLimitResponse = Type.Object({
  studentId: Type.Integer(),
  creditLimit: Type.Integer(),
  isDefault: Type.Boolean(),
});
export type CreditLimitResponse = Static<typeof CreditLimitResponse>;

// ---------------------------------------------------------------------------------------------
// Student service (student_node)

/** POST /student/courses/available: only courses open to the student's group. */
export const AvailableCoursesRequest = Type.Object(
  {
    /** matched against code, name, teacher and description; LIKE wildcards are literal */
    search: Type.Optional(Type.String({ maxLength: 100 })),
    day: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    credits: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  strict,
);
export type AvailableCoursesRequest = Static<typeof AvailableCoursesRequest>;
export const AvailableCoursesResponse = Type.Object({ courses: Type.Array(StudentCourse), total: Type.Integer() });
export type AvailableCoursesResponse = Static<typeof AvailableCoursesResponse>;

/** GET /student/courses/selected */
export const SelectedCoursesResponse = Type.Object({
  courses: Type.Array(Type.Object({ ...Course.properties, enrolledAt: Type.String() })),
  totalCredits: Type.Integer(),
  creditLimit: Type.Integer(),
});
export type SelectedCoursesResponse = Static<typeof SelectedCoursesResponse>;

/** POST /student/course/select and /deselect {courseId} → 200 SelectionDecided | 202 SelectionQueued */
export const SelectionRequest = CourseIdRequest;

/**
 * Optional `Idempotency-Key` on select and deselect: a client that lost an answer (a timeout, a
 * crash on our side) sends the same request with the same key and gets the same ticket and
 * decision back, never a second ticket. Keys are per student, action and course.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const SelectionHeaders = Type.Object({
  [IDEMPOTENCY_KEY_HEADER]: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
});

/** POST /student/course/detail → 200 {course} */
export const StudentCourseDetailResponse = Type.Object({ course: StudentCourse });
export type StudentCourseDetailResponse = Static<typeof StudentCourseDetailResponse>;

/** GET /student/schedule: one entry per weekly meeting, for a Monday-Sunday grid. */
export const ScheduleEntry = Type.Object({
  courseId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  location: Type.String(),
  teacherName: Type.Union([Type.String(), Type.Null()]),
  day: Type.Integer(),
  start: Type.String(),
  end: Type.String(),
});
export type ScheduleEntry = Static<typeof ScheduleEntry>;
export const ScheduleResponse = Type.Object({
  entries: Type.Array(ScheduleEntry),
  /** earliest start and latest end over all entries, for sizing the grid; null when empty */
  firstStart: Type.Union([Type.String(), Type.Null()]),
  lastEnd: Type.Union([Type.String(), Type.Null()]),
});
export type ScheduleResponse = Static<typeof ScheduleResponse>;

/** GET /student/stats */
export const StudentStats = Type.Object({
  selectedCount: Type.Integer(),
  totalCredits: Type.Integer(),
  creditLimit: Type.Integer(),
  creditsLeft: Type.Integer(),
  weeklyHours: Type.Number(),
  pendingTickets: Type.Integer(),
  windowOpen: Type.Boolean(),
});
export type StudentStats = Static<typeof StudentStats>;

/** GET /student/queue/status: the student's recent tickets, newest first. */
export const QueueStatusResponse = Type.Object({ pending: Type.Integer(), tickets: Type.Array(QueueTicket) });
export type QueueStatusResponse = Static<typeof QueueStatusResponse>;

/** POST /student/course/check {courseId}: would a select succeed right now? */
export const CourseCheckResponse = Type.Object({
  fits: Type.Boolean(),
  conflicts: Type.Array(
    Type.Object({
      courseId: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      day: Type.Integer(),
      start: Type.String(),
      end: Type.String(),
    }),
  ),
  creditLimit: Type.Integer(),
  currentCredits: Type.Integer(),
  courseCredits: Type.Integer(),
  overCreditLimit: Type.Boolean(),
  windowOpen: Type.Boolean(),
  seatsLeft: Type.Integer(),
  alreadySelected: Type.Boolean(),
  openToYou: Type.Boolean(),
});
export type CourseCheckResponse = Static<typeof CourseCheckResponse>;

// ---------------------------------------------------------------------------------------------
// Queue service (queue_node), internal: student_node hands it batches of requests.

/** What a staff enrolment may override; absent = false. */
export const StaffOverrides = Type.Object(
  {
    overCapacity: Type.Optional(Type.Boolean()),
    allowConflict: Type.Optional(Type.Boolean()),
    overCreditLimit: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type StaffOverrides = Static<typeof StaffOverrides>;

export const QueueRequestItem = Type.Object(
  {
    /** idempotency key: a retried request (queue restart) is decided once */
    requestId: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    studentId: Id,
    /** the student's group at request time, for the course's group restriction */
    group: NullableString({ maxLength: 64 }),
    courseId: Id,
    action: SelectionAction,
    /** `join`: a course the student holds, dropped only if this one is obtained */
    swapFrom: Type.Optional(Id),
    /** `enroll`: the overrides staff granted */
    overrides: Type.Optional(StaffOverrides),
    /** `enroll`: the staff member, and why (both go to the enrollment log) */
    actorId: Type.Optional(Id),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
export type QueueRequestItem = Static<typeof QueueRequestItem>;

export const QueueSubmitRequest = Type.Object(
  { requests: Type.Array(QueueRequestItem, { minItems: 1, maxItems: 5000 }) },
  strict,
);
export type QueueSubmitRequest = Static<typeof QueueSubmitRequest>;

/** Refused before a ticket exists: unknown course or student, or not open to the student's group. */
export const RejectReason = Type.Union([
  Type.Literal('unknown_course'),
  Type.Literal('unknown_student'),
  Type.Literal('not_allowed'),
]);
export type RejectReason = Static<typeof RejectReason>;

/**
 * One answer per request, in order. Flat rather than a union so the hot path serialises fast:
 * `decided` carries status + ticket, `queued` ticket + position, `rejected` reason.
 */
export const QueueResult = Type.Object({
  requestId: Type.String(),
  outcome: Type.Union([Type.Literal('decided'), Type.Literal('queued'), Type.Literal('rejected')]),
  courseId: Type.Integer(),
  action: SelectionAction,
  status: Type.Optional(DecisionStatusSchema),
  ticket: Type.Optional(Type.Integer()),
  position: Type.Optional(Type.Integer()),
  reason: Type.Optional(RejectReason),
  opensAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  swappedFrom: Type.Optional(Type.Integer()),
});
export type QueueResult = Static<typeof QueueResult>;
export const QueueSubmitResponse = Type.Object({ results: Type.Array(QueueResult) });
export type QueueSubmitResponse = Static<typeof QueueSubmitResponse>;

export const QueueStats = Type.Object({
  pending: Type.Integer(),
  waiting: Type.Integer(),
  batches: Type.Integer(),
  decided: Type.Integer(),
  lastBatchSize: Type.Integer(),
  lastBatchMs: Type.Number(),
});
export type QueueStats = Static<typeof QueueStats>;

// ---------------------------------------------------------------------------------------------
// data_node: the course list (public: routes/data-courses.ts) and who a data call acts for.

/** GET /courses?teacherId=&search=&day=: every course, with seats. */
export const CourseListQuery = Type.Object(
  {
    teacherId: Type.Optional(Id),
    search: Type.Optional(Type.String({ maxLength: 100 })),
    day: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  },
  strict,
);
export type CourseListQuery = Static<typeof CourseListQuery>;
export const CourseListResponse = Type.Object({ courses: Type.Array(Course) });
export type CourseListResponse = Static<typeof CourseListResponse>;

/** Who is acting: a teacher may only touch their own courses (403 otherwise); an admin any. */
export const Actor = Type.Object(
  { userId: Id, role: Type.Union([Type.Literal('admin'), Type.Literal('teacher')]) },
  strict,
);
export type Actor = Static<typeof Actor>;

/** The student a student-side data call is about. */
export const StudentRef = Type.Object({ studentId: Id, group: NullableString({ maxLength: 64 }) }, strict);
export type StudentRef = Static<typeof StudentRef>;
