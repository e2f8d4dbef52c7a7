import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  type AuthUser,
  type LoginRequest,
  type LoginResponse,
  type MeResponse,
  type RegisterRequest,
  type RegisterResponse,
  type ResetTotpRequest,
  type TotpEnrollment,
} from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import { api } from '../../src/api/instance';

/** Not the console's key: an admin console and a portal session in one browser stay apart. */
export const PORTAL_TOKEN_KEY = 'csc.portal.session';

/** A TOTP secret waiting for its first code: after registering, or after a 2FA reset. */
export interface PendingEnrolment extends TotpEnrollment {
  readonly username: string;
  readonly reason: 'registered' | 'reset';
}

/**
 * The signed-in student or teacher. Admins have the console; the portal refuses them so that a
 * console token never works here by accident. The token lives in sessionStorage like the
 * console's: it survives a reload, not closing the tab.
 */
export const useAccountStore = defineStore('account', () => {
  const token = ref<string | null>(null);
  const user = ref<AuthUser | null>(null);
  const expiresAt = ref<string | null>(null);
  /** why the last session ended, shown once on the sign-in page */
  const endedReason = ref<string | null>(null);
  const enrolment = ref<PendingEnrolment | null>(null);

  const isSignedIn = computed(() => token.value !== null && user.value !== null);
  const role = computed(() => user.value?.role ?? null);

  function adopt(t: string, u: AuthUser, exp: string): void {
    if (u.role === 'admin') throw new Error('Admins sign in to the console, not the portal.');
    token.value = t;
    user.value = u;
    expiresAt.value = exp;
    endedReason.value = null;
    api().setToken(t);
    sessionStorage.setItem(PORTAL_TOKEN_KEY, t);
  }

  function clear(): void {
    token.value = null;
    user.value = null;
    expiresAt.value = null;
    api().setToken(null);
    sessionStorage.removeItem(PORTAL_TOKEN_KEY);
  }

  /** Pick up the session from before a reload; false when there is none or it has ended. */
  async function restore(): Promise<boolean> {
    const saved = sessionStorage.getItem(PORTAL_TOKEN_KEY);
    if (!saved) return false;
    api().setToken(saved);
    try {
      const me = await api().get<MeResponse>('auth_node', AuthPaths.me);
      adopt(saved, me.user, me.expiresAt);
      return true;
    } catch {
      clear();
      return false;
    }
  }

  async function signIn(req: LoginRequest): Promise<AuthUser> {
    const res = await api().post<LoginResponse>('auth_node', AuthPaths.login, req);
    adopt(res.token, res.user, res.expiresAt);
    enrolment.value = null;
    return res.user;
  }

  /** Create the account; it is usable once the authenticator's first code signs it in. */
  async function register(req: RegisterRequest): Promise<PendingEnrolment> {
    const res = await api().post<RegisterResponse>('auth_node', AuthPaths.register, req);
    enrolment.value = {
      username: res.user.username,
      totpSecret: res.totpSecret,
      otpauthUri: res.otpauthUri,
      reason: 'registered',
    };
    return enrolment.value;
  }

  /** A registrar's reset code plus the current password install a new authenticator secret. */
  async function resetAuthenticator(req: ResetTotpRequest): Promise<PendingEnrolment> {
    const res = await api().post<TotpEnrollment>('auth_node', AuthPaths.resetTotp, req);
    enrolment.value = { username: req.username, ...res, reason: 'reset' };
    return enrolment.value;
  }

  async function signOut(): Promise<void> {
    try {
      if (token.value) await api().post('auth_node', AuthPaths.logout, {});
    } catch {
      // Signing out here matters more than telling a server that may be down.
    }
    clear();
  }

  /** The server said the token is no longer good. */
  function expire(reason = 'Your session has ended. Sign in again to continue where you were.'): void {
    if (!token.value) return;
    clear();
    endedReason.value = reason;
  }

  return {
    token,
    user,
    expiresAt,
    endedReason,
    enrolment,
    isSignedIn,
    role,
    restore,
    signIn,
    register,
    resetAuthenticator,
    signOut,
    expire,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAccountStore, import.meta.hot));
