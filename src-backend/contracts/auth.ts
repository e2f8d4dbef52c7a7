import { Type, type Static } from 'typebox';
import { Role, SessionUser } from './session.js';

/**
 * Identity contracts: auth_node's public routes (login, registration, 2FA, admin user
 * management) and data_node's internal identity routes that only auth_node (and test or
 * bench seeding) call. The CLI, the console and the services all import this file, so it
 * imports nothing but typebox.
 *
 * Conventions: camelCase JSON, `Authorization: Bearer <token>`, times are ISO-8601 strings,
 * every error is `{error: {code, message}}` (see AuthErrorCode for this domain's codes).
 */

// ─── building blocks ───────────────────────────────────────────────────────────────────────

/**
 * `string | null` / `integer | null` as a JSON-schema type list. Our ajv runs with coerceTypes,
 * and inside an anyOf it would coerce a null to "" or 0 before trying the null branch.
 */
export function NullableString(opts: { maxLength?: number; minLength?: number; pattern?: string } = {}) {
  return Type.Unsafe<string | null>({ type: ['string', 'null'], ...opts });
}
export function NullableInteger(opts: { minimum?: number } = {}) {
  return Type.Unsafe<number | null>({ type: ['integer', 'null'], ...opts });
}

/** Letters, digits, dot, dash, underscore; compared case-insensitively. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$';
export const Username = Type.String({ pattern: USERNAME_PATTERN, minLength: 3, maxLength: 64 });
export const Password = Type.String({ minLength: 8, maxLength: 256 });
/** what a login accepts: any non-empty string, so a too-short guess is "invalid credentials", not a 400 */
export const LoginPassword = Type.String({ minLength: 1, maxLength: 256 });
export const PersonName = Type.String({ minLength: 1, maxLength: 200 });
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+$';
export const Email = Type.String({ pattern: EMAIL_PATTERN, maxLength: 254 });
/** a student's group, e.g. "cs-2024" */
export const GROUP_PATTERN = '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$';
export const Group = Type.String({ pattern: GROUP_PATTERN, maxLength: 64 });
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });
/** Codes are shown as `ABCDE-FGHJK` (Crockford base32, 50 bits); input is case- and dash-insensitive. */
export const CodeInput = Type.String({ minLength: 4, maxLength: 64 });
export const UserType = Type.Union([Type.Literal('student'), Type.Literal('teacher')]);
export type UserType = Static<typeof UserType>;
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

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
    sort: Type.Union(
      [
        Type.Literal('id'),
        Type.Literal('username'),
        Type.Literal('name'),
        Type.Literal('email'),
        Type.Literal('group'),
        Type.Literal('createdAt'),
      ],
      { default: 'id' },
    ),
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

/** Paths, so the CLI and console never spell them twice. `:id` is a user or code id. */
export const AuthPaths = {
  loginAdmin: '/login/admin',
  login: '/login',
  logout: '/logout',
  me: '/me',
  mePassword: '/me/password',
  meTotpEnroll: '/me/2fa/enroll',
  meTotpConfirm: '/me/2fa/confirm',
  register: '/register',
  generateRegistrationCode: '/generate/registration-code',
  generateResetCode: '/generate/reset-code',
  resetTotp: '/reset/2fa',
  addAdmin: '/add/admin',
  users: '/admin/users',
  usersBulk: '/admin/users/bulk',
  user: (id: number) => `/admin/users/${id}`,
  userDisable: (id: number) => `/admin/users/${id}/disable`,
  userEnable: (id: number) => `/admin/users/${id}/enable`,
  codes: '/admin/codes',
  codeRevoke: (id: number, kind: 'registration' | 'reset' = 'registration') => `/admin/codes/${id}/revoke?kind=${kind}`,
  audit: '/admin/audit',
} as const;

// ─── data_node: internal identity routes (internal token; auth_node, tests and benches) ─────

/**
 * POST /identity/users/bulk → 200 DataBulkInsertResponse. Inserts users with a ready-made
 * password hash (argon2id encoded string, or anything when seeding accounts that only get
 * sessions via POST /identity/sessions). Per-row results; with `atomic` any failing row
 * rolls the batch back and answers 409 BULK_REJECTED with `error.details.results`.
 */
export const DataNewUser = Type.Object(
  {
    role: Role,
    username: Username,
    name: PersonName,
    email: Type.Optional(NullableString({ pattern: EMAIL_PATTERN, maxLength: 254 })),
    group: Type.Optional(NullableString({ pattern: GROUP_PATTERN, maxLength: 64 })),
    passwordHash: Type.String({ minLength: 1, maxLength: 512 }),
    totpSecret: Type.Optional(NullableString({ maxLength: 128 })),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DataNewUser = Static<typeof DataNewUser>;
export const DataBulkInsertRequest = Type.Object(
  { users: Type.Array(DataNewUser, { minItems: 1, maxItems: 50_000 }), atomic: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);
export type DataBulkInsertRequest = Static<typeof DataBulkInsertRequest>;
export const DataBulkRowResult = Type.Object({
  row: Type.Integer(),
  username: Type.String(),
  id: Type.Optional(Type.Integer()),
  error: Type.Optional(RowError),
});
export type DataBulkRowResult = Static<typeof DataBulkRowResult>;
export const DataBulkInsertResponse = Type.Object({ created: Type.Integer(), results: Type.Array(DataBulkRowResult) });
export type DataBulkInsertResponse = Static<typeof DataBulkInsertResponse>;

/**
 * POST /identity/sessions {userId} → 201 SessionGrant: a fresh 256-bit session token (stored
 * as its SHA-256). TTLs default to 30 min idle / 12 h absolute.
 * POST /identity/sessions/bulk {userIds} → 201 {sessions: [{userId, token, expiresAt}]} (seeding).
 */
export const DataCreateSessionRequest = Type.Object(
  {
    userId: Type.Integer({ minimum: 1 }),
    idleSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 })),
    absoluteSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600 })),
  },
  { additionalProperties: false },
);
export type DataCreateSessionRequest = Static<typeof DataCreateSessionRequest>;
export const DataBulkSessionsRequest = Type.Object(
  {
    userIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50_000 }),
    idleSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 })),
    absoluteSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600 })),
  },
  { additionalProperties: false },
);
export type DataBulkSessionsRequest = Static<typeof DataBulkSessionsRequest>;
export const DataBulkSessionsResponse = Type.Object({
  sessions: Type.Array(Type.Object({ userId: Type.Integer(), token: Type.String(), expiresAt: Type.String() })),
});
export type DataBulkSessionsResponse = Static<typeof DataBulkSessionsResponse>;

/**
 * POST /identity/sessions/resolve {token} → 200 {user, expiresAt} | 401 INVALID_SESSION
 * (unknown, expired, or the user is disabled). Slides the idle expiry at most once a minute.
 */
export const DataResolveSessionResponse = Type.Object({ user: AuthUser, expiresAt: Type.String() });
export type DataResolveSessionResponse = Static<typeof DataResolveSessionResponse>;

/**
 * POST /identity/sessions/resolve-batch {tokens} → 200 {results}: one answer per token, in
 * order, null where resolve would say 401. auth_node coalesces concurrent resolves into one
 * call, so a rush of first requests costs one data hop (and one touch transaction) per batch.
 */
export const DataResolveBatchRequest = Type.Object(
  { tokens: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type DataResolveBatchRequest = Static<typeof DataResolveBatchRequest>;
export const DataResolveBatchResponse = Type.Object({
  results: Type.Array(Type.Union([DataResolveSessionResponse, Type.Null()])),
});
export type DataResolveBatchResponse = Static<typeof DataResolveBatchResponse>;

/** POST /identity/sessions/revoke {token} | {userId, exceptToken?} → 200 {revoked: n}. */
export const DataRevokeSessionsRequest = Type.Union([
  Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
  Type.Object(
    { userId: Type.Integer({ minimum: 1 }), exceptToken: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
    { additionalProperties: false },
  ),
]);
export type DataRevokeSessionsRequest = Static<typeof DataRevokeSessionsRequest>;
export const DataRevokeSessionsResponse = Type.Object({ revoked: Type.Integer() });

/** POST /identity/credentials {username} → 200 {user: DataCredentials} | 404. auth_node only. */
export const DataCredentialsRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const DataCredentials = Type.Object({
  user: AuthUser,
  passwordHash: Type.String(),
  totpSecret: Type.Union([Type.String(), Type.Null()]),
  totpPendingSecret: Type.Union([Type.String(), Type.Null()]),
  totpLastStep: Type.Union([Type.Integer(), Type.Null()]),
});
export type DataCredentials = Static<typeof DataCredentials>;
export const DataCredentialsResponse = Type.Object({ credentials: DataCredentials });

/** GET /identity/users?… (ListUsersQuery) → 200 UserPage; GET /identity/users/:id → {user}. */

/**
 * PUT /identity/users/:id → 200 {user}. Setting `disabled: true` ends the user's sessions in
 * the same transaction; a new `passwordHash` may keep one session (`keepSessionToken`).
 */
export const DataUpdateUserRequest = Type.Object(
  {
    name: Type.Optional(PersonName),
    email: Type.Optional(NullableString({ pattern: EMAIL_PATTERN, maxLength: 254 })),
    group: Type.Optional(NullableString({ pattern: GROUP_PATTERN, maxLength: 64 })),
    disabled: Type.Optional(Type.Boolean()),
    passwordHash: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    mustChangePassword: Type.Optional(Type.Boolean()),
    totpSecret: Type.Optional(NullableString({ maxLength: 128 })),
    totpPendingSecret: Type.Optional(NullableString({ maxLength: 128 })),
    totpLastStep: Type.Optional(NullableInteger({ minimum: 0 })),
    /** with passwordHash: end every session of the user but this one */
    keepSessionToken: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DataUpdateUserRequest = Static<typeof DataUpdateUserRequest>;

/** DELETE /identity/users/:id → 200 {deleted: true, id}; 404; 409 USER_IN_USE when other rows reference it. */

/**
 * POST /identity/users/:id/totp/consume {step} → 200 {accepted}. Atomic: of two concurrent
 * calls with the same step exactly one is accepted (last step only moves forward).
 */
export const DataTotpConsumeRequest = Type.Object(
  { step: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export const DataTotpConsumeResponse = Type.Object({ accepted: Type.Boolean() });

/** POST /identity/codes/registration → 201 {code: CodeInfo}. */
export const DataCreateRegistrationCodeRequest = Type.Object(
  {
    codeHash: Type.String({ minLength: 16, maxLength: 128 }),
    userType: UserType,
    group: Type.Optional(NullableString({ pattern: GROUP_PATTERN, maxLength: 64 })),
    maxUses: Type.Integer({ minimum: 1, maximum: 100_000 }),
    expiresAtMs: Type.Integer({ minimum: 0 }),
    createdBy: NullableInteger({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type DataCreateRegistrationCodeRequest = Static<typeof DataCreateRegistrationCodeRequest>;
/** POST /identity/codes/reset → 201 {code: CodeInfo}; revokes the user's older unused reset codes. */
export const DataCreateResetCodeRequest = Type.Object(
  {
    codeHash: Type.String({ minLength: 16, maxLength: 128 }),
    userId: Type.Integer({ minimum: 1 }),
    expiresAtMs: Type.Integer({ minimum: 0 }),
    createdBy: NullableInteger({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type DataCreateResetCodeRequest = Static<typeof DataCreateResetCodeRequest>;
/** GET /identity/codes (ListCodesQuery) → {items}; POST /identity/codes/:id/revoke?kind= → {code}. */

/**
 * POST /identity/register → 201 {user}. One IMMEDIATE transaction: check the code (400
 * CODE_INVALID / CODE_EXPIRED / CODE_USED_UP / CODE_REVOKED), insert the user (409
 * USERNAME_TAKEN), count the use. Either all of it happens or none.
 */
export const DataRegisterRequest = Type.Object(
  {
    codeHash: Type.String({ minLength: 16, maxLength: 128 }),
    username: Username,
    name: PersonName,
    email: Email,
    passwordHash: Type.String({ minLength: 1, maxLength: 512 }),
    totpSecret: Type.String({ minLength: 16, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type DataRegisterRequest = Static<typeof DataRegisterRequest>;

/** POST /identity/reset-2fa → 200 {user}: uses the user's reset code and installs the new secret. */
export const DataResetTotpRequest = Type.Object(
  {
    userId: Type.Integer({ minimum: 1 }),
    codeHash: Type.String({ minLength: 16, maxLength: 128 }),
    totpSecret: Type.String({ minLength: 16, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type DataResetTotpRequest = Static<typeof DataResetTotpRequest>;

/** POST /identity/bootstrap-admin → 200 {created, user}: creates the admin only when no admin exists. */
export const DataBootstrapAdminRequest = Type.Object(
  {
    username: Username,
    name: PersonName,
    passwordHash: Type.String({ minLength: 1, maxLength: 512 }),
    mustChangePassword: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DataBootstrapAdminRequest = Static<typeof DataBootstrapAdminRequest>;
export const DataBootstrapAdminResponse = Type.Object({
  created: Type.Boolean(),
  user: Type.Union([AuthUser, Type.Null()]),
});

/** POST /identity/audit → 201 {id}; GET /identity/audit (AuditQuery) → AuditList. */
export const DataAuditRequest = Type.Object(
  {
    actorId: NullableInteger(),
    actor: NullableString({ maxLength: 64 }),
    action: Type.String({ minLength: 1, maxLength: 64 }),
    target: Type.Optional(NullableString({ maxLength: 200 })),
    detail: Type.Optional(NullableString({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type DataAuditRequest = Static<typeof DataAuditRequest>;

/** Data-side paths (all internal-only). */
export const IdentityPaths = {
  usersBulk: '/identity/users/bulk',
  users: '/identity/users',
  user: (id: number) => `/identity/users/${id}`,
  credentials: '/identity/credentials',
  totpConsume: (id: number) => `/identity/users/${id}/totp/consume`,
  sessions: '/identity/sessions',
  sessionsBulk: '/identity/sessions/bulk',
  sessionsResolve: '/identity/sessions/resolve',
  sessionsResolveBatch: '/identity/sessions/resolve-batch',
  sessionsRevoke: '/identity/sessions/revoke',
  registrationCodes: '/identity/codes/registration',
  resetCodes: '/identity/codes/reset',
  codes: '/identity/codes',
  codeRevoke: (id: number) => `/identity/codes/${id}/revoke`,
  register: '/identity/register',
  resetTotp: '/identity/reset-2fa',
  bootstrapAdmin: '/identity/bootstrap-admin',
  audit: '/identity/audit',
} as const;

/** Re-exported so callers of this module have the session shape at hand. */
export { SessionUser };
