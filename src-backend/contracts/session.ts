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
 * auth_node's internal route every other service uses to turn `Authorization: Bearer <token>`
 * into a user: POST {token} → 200 {user, expiresAt} | 401.
 */
export const SESSION_RESOLVE_PATH = '/internal/sessions/resolve';
export const SessionResolveRequest = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const SessionResolveResponse = Type.Object({ user: SessionUser, expiresAt: Type.String() });
export type SessionResolveResponse = Static<typeof SessionResolveResponse>;

/**
 * auth_node tells student_node and teacher_node to drop cached sessions on logout, disable,
 * delete, password change and 2FA reset, so a dead token is refused at once, not after the
 * cache's few seconds. POST {token} or {userId} → 200 {forgotten}.
 */
export const SESSION_FORGET_PATH = '/internal/sessions/forget';
export const SessionForgetRequest = Type.Union([
  Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
  Type.Object({ userId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
]);
export type SessionForgetRequest = Static<typeof SessionForgetRequest>;
export const SessionForgetResponse = Type.Object({ forgotten: Type.Integer() });
export type SessionForgetResponse = Static<typeof SessionForgetResponse>;
