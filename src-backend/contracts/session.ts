import { Type, type Static } from 'typebox';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('teacher'), Type.Literal('student')]);
export type Role = Static<typeof Role>;

/** Who a bearer token belongs to, as auth_node resolves it for the other services. */
export const SessionUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  role: Role,
  /** the student group ("cs-2024"); null for admins and teachers */
  group: Type.Union([Type.String(), Type.Null()]),
});
export type SessionUser = Static<typeof SessionUser>;

/**
 * What auth_node's internal resolve routes take and answer (routes/auth.ts): every other
 * service turns `Authorization: Bearer <token>` into a user with them.
 */
export const SessionResolveRequest = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const SessionResolveResponse = Type.Object({ user: SessionUser, expiresAt: Type.String() });
export type SessionResolveResponse = Static<typeof SessionResolveResponse>;

/**
 * The same resolve for many tokens in one call: student_node and teacher_node collect their
 * cache misses for a millisecond or two, so a registration rush of first requests costs one
 * hop per batch instead of one per student. POST {tokens} → 200 {results}: one per token, in
 * order, each either what the single route answers with 200 ({user, expiresAt}) or the error
 * it would throw for that token ({error: {status, code, message}}: 401 INVALID_SESSION, 403
 * PASSWORD_CHANGE_REQUIRED / MFA_SETUP_REQUIRED). A failure of the whole call (400 for a bad
 * body, 5xx) is an ordinary error answer.
 */
export const SESSION_RESOLVE_BATCH_MAX = 1000;
export const SessionResolveBatchRequest = Type.Object(
  {
    tokens: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
      minItems: 1,
      maxItems: SESSION_RESOLVE_BATCH_MAX,
    }),
  },
  { additionalProperties: false },
);
export type SessionResolveBatchRequest = Static<typeof SessionResolveBatchRequest>;
/** Why one token of a batch did not resolve: the status and body the single route would answer. */
export const SessionResolveRefusal = Type.Object({
  error: Type.Object({
    status: Type.Integer({ minimum: 400, maximum: 499 }),
    code: Type.String(),
    message: Type.String(),
  }),
});
export type SessionResolveRefusal = Static<typeof SessionResolveRefusal>;
export const SessionResolveBatchResponse = Type.Object({
  results: Type.Array(Type.Union([SessionResolveResponse, SessionResolveRefusal])),
});
export type SessionResolveBatchResponse = Static<typeof SessionResolveBatchResponse>;

/**
 * auth_node tells student_node and teacher_node to drop cached sessions on logout, disable,
 * delete, password change, password reset, 2FA reset and when an admin or the user ends one
 * session, so a dead token is refused at once, not after the cache's few seconds
 * (routes/shared.ts FORGET_SESSIONS). One session by token (logout), every session of a user,
 * or one session of a user by its public id (shared/session-id.ts), since only the token's
 * owner knows the token.
 */
/** A session's public id: 16 hex digits derived one way from the token (shared/session-id.ts). */
export const SESSION_ID_PATTERN = '^[0-9a-f]{16}$';
export const SessionId = Type.String({ pattern: SESSION_ID_PATTERN });

export const SessionForgetRequest = Type.Union([
  Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
  Type.Object({ userId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  Type.Object({ userId: Type.Integer({ minimum: 1 }), sessionId: SessionId }, { additionalProperties: false }),
]);
export type SessionForgetRequest = Static<typeof SessionForgetRequest>;
export const SessionForgetResponse = Type.Object({ forgotten: Type.Integer() });
export type SessionForgetResponse = Static<typeof SessionForgetResponse>;
