import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo } from '@contracts/console-api';
import {
  type AdminLoginRequest,
  type AuthUser,
  type LoginResponse,
  type MeResponse,
  type TotpEnrollment,
  type UserResponse,
} from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import { api } from '../api/instance';

const TOKEN_KEY = 'csc.session';

/**
 * The signed-in admin. The token lives in sessionStorage: it survives a reload of this window
 * but not closing it, and never touches disk in a shared profile.
 */
export const useSessionStore = defineStore('session', () => {
  const appInfo = ref<AppInfo | null>(null);
  const token = ref<string | null>(null);
  const user = ref<AuthUser | null>(null);
  const expiresAt = ref<string | null>(null);
  /** the first sign-in with a generated password must set a new one before anything else */
  const mustChangePassword = ref(false);
  /** REQUIRE_ADMIN_2FA is on and this admin has no TOTP yet: enrol before anything else */
  const mfaSetupRequired = ref(false);
  /** why the last session ended, shown once on the sign-in screen */
  const endedReason = ref<string | null>(null);

  const isSignedIn = computed(() => token.value !== null && user.value !== null);
  /** signed in, but a first-run step (new password, TOTP enrolment) comes before the console */
  const needsSetup = computed(() => isSignedIn.value && (mustChangePassword.value || mfaSetupRequired.value));
  const realtimeUrl = computed(() => appInfo.value?.realtimeUrl || window.location.origin);

  async function loadAppInfo(): Promise<AppInfo> {
    appInfo.value = await api().transport.appInfo();
    return appInfo.value;
  }

  function adopt(t: string, u: AuthUser, exp: string | null, mfa: boolean): void {
    token.value = t;
    user.value = u;
    expiresAt.value = exp;
    mustChangePassword.value = u.mustChangePassword;
    mfaSetupRequired.value = mfa;
    api().setToken(t);
    sessionStorage.setItem(TOKEN_KEY, t);
  }

  function clear(): void {
    token.value = null;
    user.value = null;
    expiresAt.value = null;
    mustChangePassword.value = false;
    mfaSetupRequired.value = false;
    api().setToken(null);
    sessionStorage.removeItem(TOKEN_KEY);
  }

  /** Pick up a session from before a reload; false when there is none or it has ended. */
  async function restore(): Promise<boolean> {
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (!saved) return false;
    api().setToken(saved);
    try {
      const me = await api().get<MeResponse>('auth_node', AuthPaths.me);
      if (me.user.role !== 'admin') throw new Error('not an admin');
      adopt(saved, me.user, me.expiresAt, me.mfaSetupRequired);
      return true;
    } catch {
      clear();
      return false;
    }
  }

  async function login(req: AdminLoginRequest): Promise<LoginResponse> {
    const res = await api().post<LoginResponse>('auth_node', AuthPaths.loginAdmin, req);
    adopt(res.token, res.user, res.expiresAt, res.mfaSetupRequired);
    endedReason.value = null;
    return res;
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const res = await api().post<UserResponse>('auth_node', AuthPaths.mePassword, { currentPassword, newPassword });
    user.value = res.user;
    mustChangePassword.value = res.user.mustChangePassword;
  }

  function enrollTotp(): Promise<TotpEnrollment> {
    return api().post<TotpEnrollment>('auth_node', AuthPaths.meTotpEnroll, {});
  }

  async function confirmTotp(totp: string): Promise<void> {
    const res = await api().post<UserResponse>('auth_node', AuthPaths.meTotpConfirm, { totp });
    user.value = res.user;
    mfaSetupRequired.value = false;
  }

  async function logout(): Promise<void> {
    try {
      if (token.value) await api().post('auth_node', AuthPaths.logout, {});
    } catch {
      // Signing out locally matters more than telling a server that may be down.
    }
    clear();
  }

  /** The server said our token is no longer good. */
  function expire(reason = 'Your session has ended. Sign in again.'): void {
    if (!token.value) return;
    clear();
    endedReason.value = reason;
  }

  return {
    appInfo,
    token,
    user,
    expiresAt,
    mustChangePassword,
    mfaSetupRequired,
    endedReason,
    isSignedIn,
    needsSetup,
    realtimeUrl,
    loadAppInfo,
    restore,
    login,
    changePassword,
    enrollTotp,
    confirmTotp,
    logout,
    expire,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot));
