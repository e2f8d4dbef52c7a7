import {
  type AuditList,
  type AuditQuery,
  type AuthUser,
  type CodeInfo,
  type ListCodesQuery,
  type ListUsersQuery,
  type SessionGrant,
  type UserPage,
} from '../../contracts/auth.js';
import {
  DataIdentityRoutes as D,
  type DataAuditRequest,
  type DataBootstrapAdminRequest,
  type DataBulkInsertResponse,
  type DataCreateRegistrationCodeRequest,
  type DataCreateResetCodeRequest,
  type DataCredentials,
  type DataNewUser,
  type DataRegisterCheckRequest,
  type DataRegisterRequest,
  type DataResetTotpRequest,
  type DataResolveSessionResponse,
  type DataUpdateUserRequest,
} from '../../contracts/routes/data-identity.js';
import type { ErrorBody } from '../../contracts/errors.js';
import { ServiceCallError, type RawResponse, type ServiceClient } from '../../shared/service-client.js';
import { Batcher } from './resolve-batcher.js';

/**
 * auth_node's typed view of data_node's identity routes. Data-side 4xx errors arrive as
 * ServiceCallError and pass through the error handler with their code and status.
 */
export class IdentityStore {
  private readonly resolver: Batcher<DataResolveSessionResponse>;

  constructor(private readonly client: ServiceClient) {
    this.resolver = new Batcher(async (tokens) => {
      const res = await this.client.call(D.resolveSessions, { body: { tokens } });
      return res.results;
    });
  }

  async credentials(username: string): Promise<DataCredentials | null> {
    try {
      return (await this.client.call(D.credentials, { body: { username } })).credentials;
    } catch (err) {
      if (err instanceof ServiceCallError && err.statusCode === 404) return null;
      throw err;
    }
  }

  async user(id: number): Promise<AuthUser> {
    return (await this.client.call(D.getUser, { params: { id } })).user;
  }

  listUsers(q: ListUsersQuery): Promise<UserPage> {
    return this.client.call(D.listUsers, { query: q });
  }

  async updateUser(id: number, patch: DataUpdateUserRequest): Promise<AuthUser> {
    return (await this.client.call(D.updateUser, { params: { id }, body: patch })).user;
  }

  async deleteUser(id: number): Promise<void> {
    await this.client.call(D.deleteUser, { params: { id } });
  }

  /** The raw answer, so that a 409's per-row details survive (a thrown error keeps only the code). */
  insertUsersRaw(users: DataNewUser[], atomic: boolean): Promise<RawResponse<DataBulkInsertResponse | ErrorBody>> {
    // 10,000 rows are one transaction on the data side; give them time.
    return this.client.callRaw(D.insertUsers, { body: { users, atomic }, timeoutMs: 30_000 });
  }

  async consumeTotpStep(userId: number, step: number): Promise<boolean> {
    return (await this.client.call(D.consumeTotpStep, { params: { id: userId }, body: { step } })).accepted;
  }

  bootstrapAdmin(req: DataBootstrapAdminRequest): Promise<{ created: boolean; user: AuthUser | null }> {
    return this.client.call(D.bootstrapAdmin, { body: req });
  }

  createSession(userId: number, ttl: { idleSeconds: number; absoluteSeconds: number }): Promise<SessionGrant> {
    return this.client.call(D.createSession, { body: { userId, ...ttl } });
  }

  /** The session's user, or null (unknown, expired, disabled). Batched with concurrent lookups. */
  resolveSession(token: string): Promise<DataResolveSessionResponse | null> {
    return this.resolver.load(token);
  }

  /**
   * Many tokens in one data_node call (the resolve-batch route): one answer per token, in
   * order, null where resolveSession would say null. At most SESSION_RESOLVE_BATCH_MAX tokens.
   */
  async resolveSessions(tokens: readonly string[]): Promise<(DataResolveSessionResponse | null)[]> {
    const res = await this.client.call(D.resolveSessions, { body: { tokens: [...tokens] } });
    if (res.results.length !== tokens.length)
      throw new Error(`data_node answered ${res.results.length} session lookups for ${tokens.length} tokens`);
    return res.results;
  }

  async revokeToken(token: string): Promise<number> {
    return (await this.client.call(D.revokeSessions, { body: { token } })).revoked;
  }

  async revokeUserSessions(userId: number, exceptToken?: string): Promise<number> {
    const body = exceptToken ? { userId, exceptToken } : { userId };
    return (await this.client.call(D.revokeSessions, { body })).revoked;
  }

  async createRegistrationCode(req: DataCreateRegistrationCodeRequest): Promise<CodeInfo> {
    return (await this.client.call(D.createRegistrationCode, { body: req })).code;
  }

  async createResetCode(req: DataCreateResetCodeRequest): Promise<CodeInfo> {
    return (await this.client.call(D.createResetCode, { body: req })).code;
  }

  async listCodes(q: ListCodesQuery): Promise<CodeInfo[]> {
    return (await this.client.call(D.listCodes, { query: q })).items;
  }

  async revokeCode(kind: 'registration' | 'reset', id: number): Promise<CodeInfo> {
    return (await this.client.call(D.revokeCode, { params: { id }, query: { kind } })).code;
  }

  /** Throws the CODE_* or USERNAME_TAKEN error registering would give; costs no hash. */
  async checkRegistration(req: DataRegisterCheckRequest): Promise<void> {
    await this.client.call(D.registerCheck, { body: req });
  }

  async register(req: DataRegisterRequest): Promise<AuthUser> {
    return (await this.client.call(D.register, { body: req })).user;
  }

  async resetTotp(req: DataResetTotpRequest): Promise<AuthUser> {
    return (await this.client.call(D.resetTotp, { body: req })).user;
  }

  async audit(entry: DataAuditRequest): Promise<void> {
    await this.client.call(D.appendAudit, { body: entry });
  }

  listAudit(q: AuditQuery): Promise<AuditList> {
    return this.client.call(D.listAudit, { query: q });
  }
}
