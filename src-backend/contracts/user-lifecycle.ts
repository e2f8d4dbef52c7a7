import { Type, type Static } from 'typebox';
import { AuthUser, CodeInput, EMAIL_PATTERN, GROUP_PATTERN, Password, PersonName } from './auth.js';
import { Id, literals, NullableString } from './common.js';
import { Role, SessionId } from './session.js';

/**
 * The help desk's user lifecycle (issue 17): edit, password reset, sessions, user detail, bulk
 * actions and export. auth_node answers these (routes/auth.ts); data_node stores them
 * (routes/data-identity.ts).
 */

/** This domain's error codes besides AuthErrorCode's (LAST_ADMIN, SELF_ACTION, USER_NOT_FOUND…). */
export const LifecycleErrorCode = {
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** a group on someone who is not a student */
  NOT_A_STUDENT: 'NOT_A_STUDENT',
  /** a bulk action or export matching more than BULK_ACTION_MAX users */
  TOO_MANY_USERS: 'TOO_MANY_USERS',
  /** the code is a plain 2FA reset code; setting a password needs a help-desk code */
  NOT_A_HELP_DESK_CODE: 'NOT_A_HELP_DESK_CODE',
} as const;

// ─── edit ──────────────────────────────────────────────────────────────────────────────────

/**
 * PATCH /admin/users/:id → 200 UpdatedUser. The same rules as creation: only students have a
 * group (a role change away from student must send `group: null` with it). The username cannot
 * be changed: an unknown property is a 400. A role change that would leave no active admin is
 * 409 LAST_ADMIN; an admin changing their own role is 409 SELF_ACTION.
 */
export const UPDATE_USER_FIELDS = {
  name: Type.Optional(PersonName),
  email: Type.Optional(NullableString({ pattern: EMAIL_PATTERN, maxLength: 254 })),
  group: Type.Optional(NullableString({ pattern: GROUP_PATTERN, maxLength: 64 })),
  role: Type.Optional(Role),
};
export const UpdateUserRequest = Type.Object(UPDATE_USER_FIELDS, { additionalProperties: false, minProperties: 1 });
export type UpdateUserRequest = Static<typeof UpdateUserRequest>;
export const UPDATED_USER_FIELDS = {
  user: AuthUser,
  /**
   * after a group change: ids of the courses the student holds that are not open to the new
   * group. They keep them; the registrar decides. Empty otherwise.
   */
  notOpenToGroup: Type.Array(Type.Integer()),
};
export const UpdatedUser = Type.Object(UPDATED_USER_FIELDS);
export type UpdatedUser = Static<typeof UpdatedUser>;

// ─── password reset ────────────────────────────────────────────────────────────────────────

/**
 * POST /admin/users/:id/reset-password → 200 ResetPasswordResponse. Every session of the user
 * ends at once (HTTP and sockets).
 * - default: a generated password, shown once; with `temporary` (the default) the user must
 *   choose a new one at the next sign-in.
 * - `helpDesk: true`: no password is shown; the old one stops working and a printable one-time
 *   help-desk code is answered instead. With it the user sets a new password and enrols a new
 *   authenticator in one step (POST /reset/help-desk, the sign-in page's "I have a help-desk code").
 */
export const ResetPasswordRequest = Type.Object(
  {
    temporary: Type.Boolean({ default: true }),
    helpDesk: Type.Boolean({ default: false }),
    /** help-desk codes: hours until the code expires (default 24) */
    expiresInHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30 })),
  },
  { additionalProperties: false },
);
export type ResetPasswordRequest = Static<typeof ResetPasswordRequest>;
export const ResetPasswordResponse = Type.Object({
  /** the generated password, shown this once (absent for a help-desk code) */
  password: Type.Optional(Type.String()),
  /** the user must choose a new password at the next sign-in */
  temporary: Type.Boolean(),
  /** the printable help-desk code, shown this once */
  helpDeskCode: Type.Optional(Type.String()),
  /** when the help-desk code expires */
  expiresAt: Type.Optional(Type.String()),
  sessionsEnded: Type.Integer(),
});
export type ResetPasswordResponse = Static<typeof ResetPasswordResponse>;

/**
 * POST /reset/help-desk → 200 TotpEnrollment: a help-desk code sets the new password and
 * enrols a new authenticator in one step. No current password is asked: the code was handed
 * over by the help desk in person. Throttled like a sign-in.
 */
export const HelpDeskResetRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), code: CodeInput, newPassword: Password },
  { additionalProperties: false },
);
export type HelpDeskResetRequest = Static<typeof HelpDeskResetRequest>;

// ─── sessions ──────────────────────────────────────────────────────────────────────────────

export const SessionInfo = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  /** where it signed in from; null over the private socket */
  address: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  /** /me/sessions: the session asking */
  current: Type.Boolean(),
});
export type SessionInfo = Static<typeof SessionInfo>;
export const SessionList = Type.Object({ sessions: Type.Array(SessionInfo) });
export type SessionList = Static<typeof SessionList>;
export const UserSessionParams = Type.Object({ id: Id, sessionId: SessionId }, { additionalProperties: false });
export const OwnSessionParams = Type.Object({ sessionId: SessionId }, { additionalProperties: false });
export const SessionRevoked = Type.Object({ revoked: Type.Literal(true), sessionId: Type.String() });
export type SessionRevoked = Static<typeof SessionRevoked>;

// ─── user detail ───────────────────────────────────────────────────────────────────────────

export const CourseRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });
export type CourseRef = Static<typeof CourseRef>;
export const UserDetail = Type.Object({
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  lastLoginAddress: Type.Union([Type.String(), Type.Null()]),
  /** failed sign-ins since the last successful one */
  failedLogins: Type.Integer(),
  totpEnabled: Type.Boolean(),
  sessions: Type.Integer(),
  /** students: the courses they hold */
  coursesHeld: Type.Array(CourseRef),
  /** students: courses they wait for (queued selections not decided yet) */
  waitlisted: Type.Array(CourseRef),
});
export type UserDetail = Static<typeof UserDetail>;
/** GET /admin/users/:id → 200 {user, detail}; 404 USER_NOT_FOUND. */
export const UserWithDetail = Type.Object({ user: AuthUser, detail: UserDetail });
export type UserWithDetail = Static<typeof UserWithDetail>;

// ─── bulk actions ──────────────────────────────────────────────────────────────────────────

export const BULK_ACTIONS = ['disable', 'enable', 'delete', 'reset-2fa', 'set-group'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** users one bulk action may touch */
export const BULK_ACTION_MAX = 10_000;

/** The list route's filter (GET /admin/users): role, group, search, disabled. */
export const UserFilter = Type.Object(
  {
    role: Type.Optional(Role),
    group: Type.Optional(Type.String({ maxLength: 64 })),
    search: Type.Optional(Type.String({ maxLength: 100 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserFilter = Static<typeof UserFilter>;

/**
 * POST /admin/users/bulk-action?dryRun=true → 200 BulkActionResponse. `ids` or `filter`
 * (exactly one) picks the users, at most BULK_ACTION_MAX (400 TOO_MANY_USERS). `set-group`
 * needs `group`. Each user is answered: done, or why not (LAST_ADMIN, SELF_ACTION,
 * USER_NOT_FOUND, USER_IN_USE, NOT_A_STUDENT). A dry run answers the same without changing
 * anything. Long runs publish admin_event `bulk_progress` {action, done, total} on /admin.
 */
export const BulkActionRequest = Type.Object(
  {
    ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: BULK_ACTION_MAX })),
    filter: Type.Optional(UserFilter),
    action: literals(BULK_ACTIONS),
    group: Type.Optional(Type.String({ pattern: GROUP_PATTERN, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type BulkActionRequest = Static<typeof BulkActionRequest>;
export const DryRunQuery = Type.Object({ dryRun: Type.Boolean({ default: false }) }, { additionalProperties: false });
export const BulkActionResult = Type.Object({
  id: Type.Integer(),
  username: Type.Union([Type.String(), Type.Null()]),
  ok: Type.Boolean(),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  /** set-group: the courses held that the new group may not take */
  notOpenToGroup: Type.Optional(Type.Array(Type.Integer())),
});
export type BulkActionResult = Static<typeof BulkActionResult>;
export const BulkActionResponse = Type.Object({
  action: literals(BULK_ACTIONS),
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(BulkActionResult),
});
export type BulkActionResponse = Static<typeof BulkActionResponse>;

// ─── export ────────────────────────────────────────────────────────────────────────────────

/** GET /admin/users/export?role=&group= → 200 text/csv: the import's columns, no secrets. */
export const ExportUsersQuery = Type.Object(
  { role: Type.Optional(Role), group: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export type ExportUsersQuery = Static<typeof ExportUsersQuery>;
/**
 * The columns `course-cli import csv --user-type <role>` reads, in its order: students have a
 * group, teachers do not. An export of every role leads with a `role` column instead, since no
 * single import takes mixed roles.
 */
export function exportColumns(role?: Static<typeof Role>): readonly string[] {
  if (role === 'student') return ['username', 'name', 'email', 'group'];
  if (role) return ['username', 'name', 'email'];
  return ['role', 'username', 'name', 'email', 'group'];
}
