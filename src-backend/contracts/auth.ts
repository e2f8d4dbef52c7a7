import { Type, type Static } from 'typebox';
import { literals, NullableString } from './common.js';
import { Role, SessionUser } from './session.js';
import { BIDI_CHARS, CONTROL_CHARS, PlainText } from './text-rules.js';

/**
 * Identity shapes: what auth_node's public API (routes/auth.ts) takes and answers, and the
 * user, code and audit shapes data_node's identity API (routes/data-identity.ts) shares with
 * it. The CLI, the console and the services all import this file, so it imports nothing but
 * typebox and its sibling contracts.
 *
 * Conventions: camelCase JSON, `Authorization: Bearer <token>`, times are ISO-8601 strings,
 * every error is `{error: {code, message}}` (see AuthErrorCode for this domain's codes).
 */

// ─── building blocks ───────────────────────────────────────────────────────────────────────

/** Letters, digits, dot, dash, underscore; compared case-insensitively. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$';
export const Username = Type.String({ pattern: USERNAME_PATTERN, minLength: 3, maxLength: 64 });
export const Password = Type.String({ minLength: 8, maxLength: 256 });
/** what a login accepts: any non-empty string, so a too-short guess is "invalid credentials", not a 400 */
export const LoginPassword = Type.String({ minLength: 1, maxLength: 256 });
export const PersonName = PlainText({ minLength: 1, maxLength: 200 });
/** no spaces, controls or bidi characters on either side of one @ */
export const EMAIL_PATTERN = `^[^\\s@${CONTROL_CHARS}${BIDI_CHARS}]+@[^\\s@${CONTROL_CHARS}${BIDI_CHARS}]+$`;
export const Email = Type.String({ pattern: EMAIL_PATTERN, maxLength: 254 });
/** a student's group, e.g. "cs-2024" */
export const GROUP_PATTERN = '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$';
export const Group = Type.String({ pattern: GROUP_PATTERN, maxLength: 64 });
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });
/** Codes are shown as `ABCDE-FGHJK` (Crockford base32, 50 bits); input is case- and dash-insensitive. */
export const CodeInput = Type.String({ minLength: 4, maxLength: 64 });
export const UserType = Type.Union([Type.Literal('student'), Type.Literal('teacher')]);
export type UserType = Static<typeof UserType>;

/** This domain's error codes (plus the shared ones in errors.ts). */
export const AuthErrorCode = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  INVALID_TOTP: 'INVALID_TOTP',
  TOTP_REPLAYED: 'TOTP_REPLAYED',
  TOTP_REQUIRED: 'TOTP_REQUIRED',
  TOTP_ALREADY_ENABLED: 'TOTP_ALREADY_ENABLED',
  NO_PENDING_TOTP: 'NO_PENDING_TOTP',
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  WRONG_LOGIN_ROUTE: 'WRONG_LOGIN_ROUTE',
  /** session belongs to an account that must set a new password first (POST /me/password) */
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  /** REQUIRE_ADMIN_2FA is on and this admin has not enrolled TOTP yet (POST /me/2fa/enroll) */
  MFA_SETUP_REQUIRED: 'MFA_SETUP_REQUIRED',
  INVALID_SESSION: 'INVALID_SESSION',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  CODE_INVALID: 'CODE_INVALID',
  CODE_EXPIRED: 'CODE_EXPIRED',
  CODE_USED_UP: 'CODE_USED_UP',
  CODE_REVOKED: 'CODE_REVOKED',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  CODE_NOT_FOUND: 'CODE_NOT_FOUND',
  LAST_ADMIN: 'LAST_ADMIN',
  SELF_ACTION: 'SELF_ACTION',
  /** the user still owns rows elsewhere (courses, enrollments): disable instead */
  USER_IN_USE: 'USER_IN_USE',
  BULK_REJECTED: 'BULK_REJECTED',
} as const;

/** A user as every API shows it. Never carries hashes or secrets. */
export const AuthUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  group: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  createdAt: Type.String(),
});
export type AuthUser = Static<typeof AuthUser>;

/** What a login or a fresh session returns. */
export const SessionGrant = Type.Object({
  token: Type.String(),
  /** when the session ends if unused (idle expiry, capped by the absolute expiry) */
  expiresAt: Type.String(),
});
export type SessionGrant = Static<typeof SessionGrant>;

export const TotpEnrollment = Type.Object({
  totpSecret: Type.String(),
  /** `otpauth://totp/Course%20Selection:<username>?secret=…&issuer=Course%20Selection&…` */
  otpauthUri: Type.String(),
});
export type TotpEnrollment = Static<typeof TotpEnrollment>;
export const TOTP_ISSUER = 'Course Selection';

// ─── auth_node: login, session, self-service ───────────────────────────────────────────────

/*
 * POST /internal/sessions/resolve (internal token; shapes in session.ts) answers 200 {user,
 * expiresAt}; 401 INVALID_SESSION for an unknown or expired token or a disabled account; and
 * 403 PASSWORD_CHANGE_REQUIRED / MFA_SETUP_REQUIRED while the account must finish set-up
 * (generated initial password not yet changed; admin without TOTP under REQUIRE_ADMIN_2FA).
 * Sessions last 30 min idle (slid at most once a minute) and 12 h at most, unless
 * SESSION_IDLE_MINUTES / SESSION_ABSOLUTE_HOURS say otherwise.
 */

/** POST /login/admin → 200 LoginResponse. `totp` is required once the admin has enrolled TOTP. */
export const AdminLoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: LoginPassword, totp: Type.Optional(TotpCode) },
  { additionalProperties: false },
);
export type AdminLoginRequest = Static<typeof AdminLoginRequest>;

/** POST /login (students and teachers) → 200 LoginResponse. 429 with retry-after when throttled. */
export const LoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: LoginPassword, totp: TotpCode },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const LoginResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String(),
  user: AuthUser,
  /**
   * true when this admin must enrol TOTP before anything else (REQUIRE_ADMIN_2FA); the session
   * then only works for /me, /me/password, /me/2fa/* and /logout.
   */
  mfaSetupRequired: Type.Boolean(),
});
export type LoginResponse = Static<typeof LoginResponse>;

/** POST /logout (bearer) → 200 {loggedOut: true}. The token is dead server-side at once. */
export const LogoutResponse = Type.Object({ loggedOut: Type.Literal(true) });

/** GET /me (bearer) → 200 {user, expiresAt, mfaSetupRequired}. */
export const MeResponse = Type.Object({ user: AuthUser, expiresAt: Type.String(), mfaSetupRequired: Type.Boolean() });
export type MeResponse = Static<typeof MeResponse>;

/** POST /me/password (bearer) → 200 {user}. Clears mustChangePassword; ends the user's other sessions. */
export const ChangePasswordRequest = Type.Object(
  { currentPassword: LoginPassword, newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;
export const UserResponse = Type.Object({ user: AuthUser });
export type UserResponse = Static<typeof UserResponse>;

/** POST /me/2fa/enroll (admin bearer, empty body) → 200 TotpEnrollment; 409 TOTP_ALREADY_ENABLED. */
/** POST /me/2fa/confirm {totp} (admin bearer) → 200 {user}; from then on /login/admin needs totp. */
export const ConfirmTotpRequest = Type.Object({ totp: TotpCode }, { additionalProperties: false });
export type ConfirmTotpRequest = Static<typeof ConfirmTotpRequest>;
/**
 * POST /me/2fa/replace {currentPassword, totp} (admin bearer, 2FA on) → 200 TotpEnrollment: a new
 * secret, pending until /me/2fa/confirm; the old one works until then. Password and a current
 * code both, so a stolen session alone cannot move the second factor to another phone.
 */
export const ReplaceTotpRequest = Type.Object(
  { currentPassword: LoginPassword, totp: TotpCode },
  { additionalProperties: false },
);
export type ReplaceTotpRequest = Static<typeof ReplaceTotpRequest>;

// ─── auth_node: registration and 2FA reset ─────────────────────────────────────────────────

/** POST /register → 201 RegisterResponse. The account's role (and group) come from the code. */
export const RegisterRequest = Type.Object(
  { code: CodeInput, username: Username, name: PersonName, email: Email, password: Password },
  { additionalProperties: false },
);
export type RegisterRequest = Static<typeof RegisterRequest>;
export const RegisterResponse = Type.Object({ user: AuthUser, totpSecret: Type.String(), otpauthUri: Type.String() });
export type RegisterResponse = Static<typeof RegisterResponse>;

/** POST /generate/registration-code (admin) → 201 GeneratedRegistrationCode. Default expiry 72 h. */
export const GenerateRegistrationCodeRequest = Type.Object(
  {
    userType: UserType,
    maxUses: Type.Integer({ minimum: 1, maximum: 100_000 }),
    expiresInHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 366 })),
    /** the group every student registering with this code joins */
    group: Type.Optional(Group),
  },
  { additionalProperties: false },
);
export type GenerateRegistrationCodeRequest = Static<typeof GenerateRegistrationCodeRequest>;

/** One registration or 2FA-reset code as admins see it (the code itself is only shown once). */
export const CodeInfo = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('registration'), Type.Literal('reset')]),
  /** registration codes: which accounts they create */
  userType: Type.Union([UserType, Type.Null()]),
  group: Type.Union([Type.String(), Type.Null()]),
  /** reset codes: whose 2FA they reset */
  username: Type.Union([Type.String(), Type.Null()]),
  maxUses: Type.Integer(),
  uses: Type.Integer(),
  usesLeft: Type.Integer(),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  revoked: Type.Boolean(),
  /** not revoked, not expired, uses left */
  active: Type.Boolean(),
});
export type CodeInfo = Static<typeof CodeInfo>;

export const GeneratedCode = Type.Object({ code: Type.String(), info: CodeInfo });
export type GeneratedCode = Static<typeof GeneratedCode>;

/** POST /generate/reset-code (admin) → 201 GeneratedCode; replaces the user's unused reset codes. Default expiry 24 h. */
export const GenerateResetCodeRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    expiresInHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30 })),
  },
  { additionalProperties: false },
);
export type GenerateResetCodeRequest = Static<typeof GenerateResetCodeRequest>;

/**
 * POST /reset/2fa → 200 TotpEnrollment (a new secret; the old one stops working).
 * `password` is the account's CURRENT password: the code alone does not take over an account.
 */
export const ResetTotpRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), code: CodeInput, password: LoginPassword },
  { additionalProperties: false },
);
export type ResetTotpRequest = Static<typeof ResetTotpRequest>;

/** POST /add/admin (admin) → 201 {user}. */
export const AddAdminRequest = Type.Object(
  { username: Username, name: PersonName, email: Type.Optional(Email), password: Password },
  { additionalProperties: false },
);
export type AddAdminRequest = Static<typeof AddAdminRequest>;

// ─── auth_node: admin user management (admin bearer) ───────────────────────────────────────

export const USER_SORT_COLUMNS = ['id', 'username', 'name', 'email', 'group', 'createdAt'] as const;
export type UserSortColumn = (typeof USER_SORT_COLUMNS)[number];

/** GET /admin/users?role=&search=&page=&pageSize=&sort=&order=&disabled= → 200 UserPage. */
export const ListUsersQuery = Type.Object(
  {
    role: Type.Optional(Role),
    /** substring of username, name or email; LIKE wildcards are matched literally */
    search: Type.Optional(Type.String({ maxLength: 100 })),
    group: Type.Optional(Type.String({ maxLength: 64 })),
    disabled: Type.Optional(Type.Boolean()),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    sort: literals(USER_SORT_COLUMNS, { default: 'id' }),
    order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
  },
  { additionalProperties: false },
);
export type ListUsersQuery = Static<typeof ListUsersQuery>;
export const UserPage = Type.Object({
  items: Type.Array(AuthUser),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type UserPage = Static<typeof UserPage>;

/** GET /admin/users/:id → 200 {user}; 404 USER_NOT_FOUND. */

/**
 * POST /admin/users → 201 CreatedUser. Without `password` a random one is generated, returned
 * once as `initialPassword`, and the account must change it at first login.
 */
export const CreateUserRequest = Type.Object(
  {
    role: UserType,
    username: Username,
    name: PersonName,
    email: Type.Optional(Email),
    group: Type.Optional(Group),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type CreateUserRequest = Static<typeof CreateUserRequest>;
export const CreatedUser = Type.Object({
  user: AuthUser,
  /** only when the server generated the password; shown this once */
  initialPassword: Type.Optional(Type.String()),
  totpSecret: Type.String(),
  otpauthUri: Type.String(),
});
export type CreatedUser = Static<typeof CreatedUser>;

/** POST /admin/users/:id/disable → 200 {user}: ends every session and realtime socket of the user. */
/** POST /admin/users/:id/enable → 200 {user}. */
/** DELETE /admin/users/:id → 200 {deleted: true, id}; 409 USER_IN_USE / LAST_ADMIN / SELF_ACTION. */
export const DeletedUser = Type.Object({ deleted: Type.Literal(true), id: Type.Integer() });

/**
 * POST /admin/users/bulk (CSV import) → 200 BulkCreateResponse. Rows are loosely typed on
 * purpose so that one bad row is a per-row error, not a 400 for the whole file. With
 * `atomic: true` any failing row rejects the whole batch: 409 BULK_REJECTED with
 * `error.details.results` (only the failing rows) and nothing is created.
 */
export const BULK_MAX_ROWS = 10_000;
export const BulkUserRow = Type.Object(
  {
    role: Type.String({ maxLength: 20 }),
    username: Type.String({ maxLength: 200 }),
    name: Type.String({ maxLength: 400 }),
    email: Type.Optional(NullableString({ maxLength: 400 })),
    group: Type.Optional(NullableString({ maxLength: 200 })),
    /** omitted/empty → generated (high-entropy, must be changed at first login) */
    password: Type.Optional(NullableString({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type BulkUserRow = Static<typeof BulkUserRow>;
export const BulkCreateRequest = Type.Object(
  {
    users: Type.Array(BulkUserRow, { minItems: 1, maxItems: BULK_MAX_ROWS }),
    atomic: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type BulkCreateRequest = Static<typeof BulkCreateRequest>;
export const RowError = Type.Object({ code: Type.String(), message: Type.String() });
export const BulkRowResult = Type.Object({
  /** index into the request's `users` */
  row: Type.Integer(),
  username: Type.String(),
  ok: Type.Boolean(),
  id: Type.Optional(Type.Integer()),
  initialPassword: Type.Optional(Type.String()),
  totpSecret: Type.Optional(Type.String()),
  otpauthUri: Type.Optional(Type.String()),
  error: Type.Optional(RowError),
});
export type BulkRowResult = Static<typeof BulkRowResult>;
export const BulkCreateResponse = Type.Object({
  created: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(BulkRowResult),
});
export type BulkCreateResponse = Static<typeof BulkCreateResponse>;

/** GET /admin/codes?kind=&active= → 200 {items} (newest first). */
export const ListCodesQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('registration'), Type.Literal('reset')])),
    /** true: only usable codes */
    active: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  },
  { additionalProperties: false },
);
export type ListCodesQuery = Static<typeof ListCodesQuery>;
export const CodeList = Type.Object({ items: Type.Array(CodeInfo) });
export type CodeList = Static<typeof CodeList>;
/** POST /admin/codes/:id/revoke?kind=registration|reset → 200 {code: CodeInfo}; 404 CODE_NOT_FOUND. */
export const CodeKindQuery = Type.Object(
  { kind: Type.Union([Type.Literal('registration'), Type.Literal('reset')], { default: 'registration' }) },
  { additionalProperties: false },
);
export const CodeResponse = Type.Object({ code: CodeInfo });

/**
 * GET /admin/audit?limit=&beforeId=&actor=&action=&target=&since=&until= → 200 {items} (newest
 * first). actor/action/target match a part, case-insensitively; since/until are ISO times.
 */
export const AuditQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditList = Type.Object({ items: Type.Array(AuditEntry) });
export type AuditList = Static<typeof AuditList>;
/** Re-exported so callers of this module have the session shape at hand. */
export { SessionUser };
