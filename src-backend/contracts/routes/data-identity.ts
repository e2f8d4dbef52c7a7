import { Type, type Static } from 'typebox';
import {
  AuditList,
  AuditQuery,
  AuthUser,
  CodeKindQuery,
  CodeList,
  CodeResponse,
  DeletedUser,
  Email,
  EMAIL_PATTERN,
  GROUP_PATTERN,
  ListCodesQuery,
  ListUsersQuery,
  PersonName,
  RowError,
  SessionGrant,
  UserPage,
  UserResponse,
  UserType,
  Username,
} from '../auth.js';
import { created, IdParams, NullableInteger, NullableString, ok } from '../common.js';
import { routeTable } from '../route.js';
import { Role } from '../session.js';
import { SessionResolveRequest } from '../session.js';

/**
 * data_node's identity API: users, sessions, codes and the audit log as auth_node (and test or
 * bench seeding) stores them. Every route is internal; auth_node holds the rules.
 */

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

/**
 * POST /identity/register/check → 200 {usable: true}, or the same 400 CODE_* / 409
 * USERNAME_TAKEN that registering would give. auth_node asks before it spends an argon2id
 * hash on the password; the register call checks again in its transaction.
 */
export const DataRegisterCheckRequest = Type.Object(
  { codeHash: Type.String({ minLength: 16, maxLength: 128 }), username: Username },
  { additionalProperties: false },
);
export type DataRegisterCheckRequest = Static<typeof DataRegisterCheckRequest>;
export const DataRegisterCheckResponse = Type.Object({ usable: Type.Literal(true) });
export type DataRegisterCheckResponse = Static<typeof DataRegisterCheckResponse>;

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

export const DataIdentityRoutes = routeTable('data_node', {
  insertUsers: {
    method: 'POST',
    url: '/identity/users/bulk',
    summary: 'Insert users with ready-made password hashes (per-row results; atomic rolls back on any failure)',
    access: 'internal',
    schema: { body: DataBulkInsertRequest, response: ok(DataBulkInsertResponse) },
  },
  listUsers: {
    method: 'GET',
    url: '/identity/users',
    summary: 'One page of users',
    access: 'internal',
    schema: { querystring: ListUsersQuery, response: ok(UserPage) },
  },
  getUser: {
    method: 'GET',
    url: '/identity/users/:id',
    summary: 'One user',
    access: 'internal',
    schema: { params: IdParams, response: ok(UserResponse) },
  },
  updateUser: {
    method: 'PUT',
    url: '/identity/users/:id',
    summary: 'Change a user; disabling ends their sessions in the same transaction',
    access: 'internal',
    schema: { params: IdParams, body: DataUpdateUserRequest, response: ok(UserResponse) },
  },
  deleteUser: {
    method: 'DELETE',
    url: '/identity/users/:id',
    summary: 'Delete a user (409 USER_IN_USE while other rows reference it)',
    access: 'internal',
    schema: { params: IdParams, response: ok(DeletedUser) },
  },
  credentials: {
    method: 'POST',
    url: '/identity/credentials',
    summary: "A user's password hash and TOTP state, for sign-in",
    access: 'internal',
    schema: { body: DataCredentialsRequest, response: ok(DataCredentialsResponse) },
  },
  consumeTotpStep: {
    method: 'POST',
    url: '/identity/users/:id/totp/consume',
    summary: 'Spend a TOTP time step; of two concurrent uses exactly one is accepted',
    access: 'internal',
    schema: { params: IdParams, body: DataTotpConsumeRequest, response: ok(DataTotpConsumeResponse) },
  },
  bootstrapAdmin: {
    method: 'POST',
    url: '/identity/bootstrap-admin',
    summary: 'Create the first admin, only when no admin exists',
    access: 'internal',
    schema: { body: DataBootstrapAdminRequest, response: ok(DataBootstrapAdminResponse) },
  },
  createSession: {
    method: 'POST',
    url: '/identity/sessions',
    summary: 'A fresh session token for a user',
    access: 'internal',
    schema: { body: DataCreateSessionRequest, response: created(SessionGrant) },
  },
  createSessions: {
    method: 'POST',
    url: '/identity/sessions/bulk',
    summary: 'Fresh session tokens for many users (seeding)',
    access: 'internal',
    schema: { body: DataBulkSessionsRequest, response: created(DataBulkSessionsResponse) },
  },
  resolveSession: {
    method: 'POST',
    url: '/identity/sessions/resolve',
    summary: "A session token's user; slides the idle expiry",
    access: 'internal',
    schema: { body: SessionResolveRequest, response: ok(DataResolveSessionResponse) },
  },
  resolveSessions: {
    method: 'POST',
    url: '/identity/sessions/resolve-batch',
    summary: 'Resolve many session tokens in one call (null where one would be 401)',
    access: 'internal',
    schema: { body: DataResolveBatchRequest, response: ok(DataResolveBatchResponse) },
  },
  revokeSessions: {
    method: 'POST',
    url: '/identity/sessions/revoke',
    summary: "End one session, or all of a user's sessions but one",
    access: 'internal',
    schema: { body: DataRevokeSessionsRequest, response: ok(DataRevokeSessionsResponse) },
  },
  createRegistrationCode: {
    method: 'POST',
    url: '/identity/codes/registration',
    summary: 'Store a registration code (by hash)',
    access: 'internal',
    schema: { body: DataCreateRegistrationCodeRequest, response: created(CodeResponse) },
  },
  createResetCode: {
    method: 'POST',
    url: '/identity/codes/reset',
    summary: "Store a 2FA reset code (by hash); revokes the user's older unused ones",
    access: 'internal',
    schema: { body: DataCreateResetCodeRequest, response: created(CodeResponse) },
  },
  listCodes: {
    method: 'GET',
    url: '/identity/codes',
    summary: 'Registration and reset codes, newest first',
    access: 'internal',
    schema: { querystring: ListCodesQuery, response: ok(CodeList) },
  },
  revokeCode: {
    method: 'POST',
    url: '/identity/codes/:id/revoke',
    summary: 'Revoke a code',
    access: 'internal',
    schema: { params: IdParams, querystring: CodeKindQuery, response: ok(CodeResponse) },
  },
  register: {
    method: 'POST',
    url: '/identity/register',
    summary: 'Check a registration code, insert the user and count the use, in one transaction',
    access: 'internal',
    schema: { body: DataRegisterRequest, response: created(UserResponse) },
  },
  registerCheck: {
    method: 'POST',
    url: '/identity/register/check',
    summary: 'Would registering with this code and username succeed? (nothing is used or stored)',
    access: 'internal',
    schema: { body: DataRegisterCheckRequest, response: ok(DataRegisterCheckResponse) },
  },
  resetTotp: {
    method: 'POST',
    url: '/identity/reset-2fa',
    summary: "Use a user's reset code and install the new TOTP secret",
    access: 'internal',
    schema: { body: DataResetTotpRequest, response: ok(UserResponse) },
  },
  appendAudit: {
    method: 'POST',
    url: '/identity/audit',
    summary: 'Append an audit log entry',
    access: 'internal',
    schema: { body: DataAuditRequest, response: created(Type.Object({ id: Type.Integer() })) },
  },
  listAudit: {
    method: 'GET',
    url: '/identity/audit',
    summary: 'Audit log entries, newest first',
    access: 'internal',
    schema: { querystring: AuditQuery, response: ok(AuditList) },
  },
});
