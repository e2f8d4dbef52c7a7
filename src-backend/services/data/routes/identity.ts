import type { Database } from 'better-sqlite3';
import { Type } from 'typebox';
import {
  AuditList,
  AuditQuery,
  AuthErrorCode,
  CodeKindQuery,
  CodeList,
  CodeResponse,
  DataAuditRequest,
  DataBootstrapAdminRequest,
  DataBootstrapAdminResponse,
  DataBulkInsertRequest,
  DataBulkInsertResponse,
  DataBulkSessionsRequest,
  DataBulkSessionsResponse,
  DataCreateRegistrationCodeRequest,
  DataCreateResetCodeRequest,
  DataCreateSessionRequest,
  DataCredentialsRequest,
  DataCredentialsResponse,
  DataRegisterRequest,
  DataResetTotpRequest,
  DataResolveBatchRequest,
  DataResolveBatchResponse,
  DataResolveSessionResponse,
  DataRevokeSessionsRequest,
  DataRevokeSessionsResponse,
  DataTotpConsumeRequest,
  DataTotpConsumeResponse,
  DataUpdateUserRequest,
  DeletedUser,
  IdParams,
  IdentityPaths,
  ListCodesQuery,
  ListUsersQuery,
  SessionGrant,
  UserPage,
  UserResponse,
} from '../../../contracts/auth.js';
import { errorResponses } from '../../../contracts/errors.js';
import { SessionResolveRequest } from '../../../contracts/session.js';
import { notFound, unauthorized } from '../../../shared/app-error.js';
import type { App } from '../../../shared/create-app.js';
import type { AuditRepo } from '../identity/audit-repo.js';
import { CodesRepo } from '../identity/codes-repo.js';
import { SessionsRepo } from '../identity/sessions-repo.js';
import { UsersRepo } from '../identity/users-repo.js';

export interface DataRouteOptions {
  readonly db: Database;
  /** the one writer of audit_log, shared by identity and course routes */
  readonly audit: AuditRepo;
}

/** Identity storage. Internal only (app.ts checks the token); auth_node holds the rules. */
export async function identityRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  const users = new UsersRepo(opts.db);
  const sessions = new SessionsRepo(opts.db);
  const codes = new CodesRepo(opts.db, users);
  const { audit } = opts;

  app.post(
    IdentityPaths.usersBulk,
    {
      schema: { body: DataBulkInsertRequest, response: { 200: DataBulkInsertResponse, ...errorResponses } },
    },
    async (req) => users.insertBulk(req.body.users, req.body.atomic),
  );

  app.get(
    IdentityPaths.users,
    {
      schema: { querystring: ListUsersQuery, response: { 200: UserPage, ...errorResponses } },
    },
    async (req) => users.list(req.query),
  );

  app.get(
    '/identity/users/:id',
    {
      schema: { params: IdParams, response: { 200: UserResponse, ...errorResponses } },
    },
    async (req) => ({ user: users.get(req.params.id) }),
  );

  app.put(
    '/identity/users/:id',
    {
      schema: { params: IdParams, body: DataUpdateUserRequest, response: { 200: UserResponse, ...errorResponses } },
    },
    async (req) => ({ user: users.update(req.params.id, req.body) }),
  );

  app.delete(
    '/identity/users/:id',
    {
      schema: { params: IdParams, response: { 200: DeletedUser, ...errorResponses } },
    },
    async (req) => {
      users.delete(req.params.id);
      return { deleted: true as const, id: req.params.id };
    },
  );

  app.post(
    IdentityPaths.credentials,
    {
      schema: { body: DataCredentialsRequest, response: { 200: DataCredentialsResponse, ...errorResponses } },
    },
    async (req) => {
      const credentials = users.credentials(req.body.username);
      if (!credentials) throw notFound('no such user', AuthErrorCode.USER_NOT_FOUND);
      return { credentials };
    },
  );

  app.post(
    '/identity/users/:id/totp/consume',
    {
      schema: {
        params: IdParams,
        body: DataTotpConsumeRequest,
        response: { 200: DataTotpConsumeResponse, ...errorResponses },
      },
    },
    async (req) => ({ accepted: users.consumeTotpStep(req.params.id, req.body.step) }),
  );

  app.post(
    IdentityPaths.bootstrapAdmin,
    {
      schema: { body: DataBootstrapAdminRequest, response: { 200: DataBootstrapAdminResponse, ...errorResponses } },
    },
    async (req) => {
      const user = users.bootstrapAdmin({ ...req.body, role: 'admin' });
      return { created: user !== null, user };
    },
  );

  app.post(
    IdentityPaths.sessions,
    {
      schema: { body: DataCreateSessionRequest, response: { 201: SessionGrant, ...errorResponses } },
    },
    async (req, reply) => {
      const { userId, ...ttl } = req.body;
      return reply.code(201).send(sessions.create(userId, ttl));
    },
  );

  app.post(
    IdentityPaths.sessionsBulk,
    {
      schema: { body: DataBulkSessionsRequest, response: { 201: DataBulkSessionsResponse, ...errorResponses } },
    },
    async (req, reply) => {
      const { userIds, ...ttl } = req.body;
      return reply.code(201).send({ sessions: sessions.createBulk(userIds, ttl) });
    },
  );

  app.post(
    IdentityPaths.sessionsResolve,
    {
      schema: { body: SessionResolveRequest, response: { 200: DataResolveSessionResponse, ...errorResponses } },
    },
    async (req) => {
      const found = sessions.resolve(req.body.token);
      if (!found) throw unauthorized('session expired or invalid', AuthErrorCode.INVALID_SESSION);
      return found;
    },
  );

  app.post(
    IdentityPaths.sessionsResolveBatch,
    {
      schema: { body: DataResolveBatchRequest, response: { 200: DataResolveBatchResponse, ...errorResponses } },
    },
    async (req) => ({ results: sessions.resolveMany(req.body.tokens) }),
  );

  app.post(
    IdentityPaths.sessionsRevoke,
    {
      schema: { body: DataRevokeSessionsRequest, response: { 200: DataRevokeSessionsResponse, ...errorResponses } },
    },
    async (req) => {
      const b = req.body;
      return { revoked: 'token' in b ? sessions.revokeToken(b.token) : sessions.revokeUser(b.userId, b.exceptToken) };
    },
  );

  app.post(
    IdentityPaths.registrationCodes,
    {
      schema: { body: DataCreateRegistrationCodeRequest, response: { 201: CodeResponse, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send({ code: codes.createRegistration(req.body) }),
  );

  app.post(
    IdentityPaths.resetCodes,
    {
      schema: { body: DataCreateResetCodeRequest, response: { 201: CodeResponse, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send({ code: codes.createReset(req.body) }),
  );

  app.get(
    IdentityPaths.codes,
    {
      schema: { querystring: ListCodesQuery, response: { 200: CodeList, ...errorResponses } },
    },
    async (req) => ({ items: codes.list(req.query) }),
  );

  app.post(
    '/identity/codes/:id/revoke',
    {
      schema: { params: IdParams, querystring: CodeKindQuery, response: { 200: CodeResponse, ...errorResponses } },
    },
    async (req) => ({ code: codes.revoke(req.query.kind, req.params.id) }),
  );

  app.post(
    IdentityPaths.register,
    {
      schema: { body: DataRegisterRequest, response: { 201: UserResponse, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send({ user: codes.register(req.body) }),
  );

  app.post(
    IdentityPaths.resetTotp,
    {
      schema: { body: DataResetTotpRequest, response: { 200: UserResponse, ...errorResponses } },
    },
    async (req) => ({ user: codes.resetTotp(req.body) }),
  );

  app.post(
    IdentityPaths.audit,
    {
      schema: { body: DataAuditRequest, response: { 201: Type.Object({ id: Type.Integer() }), ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send({ id: audit.append(req.body) }),
  );

  app.get(
    IdentityPaths.audit,
    {
      schema: { querystring: AuditQuery, response: { 200: AuditList, ...errorResponses } },
    },
    async (req) => ({ items: audit.list(req.query) }),
  );
}
