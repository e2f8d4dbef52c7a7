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
import { openSessionChannel, type SessionChannel, type SessionMessage } from '../lib/session-channel';

const TOKEN_KEY = 'csc.session';

/** how often this tab tells the others it is in use, at most */
const ACTIVE_EVERY_MS = 15_000;

/**
 * The signed-in admin. The token lives in sessionStorage: it survives a reload of this window
 * but not closing it, and never touches disk in a shared profile. The tabs of one browser share
 * it in memory (lib/session-channel.ts): a new tab asks the others, a sign-in reaches the tabs
 * still at the sign-in screen, and a sign-out ends it in all of them.
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
  /** when another tab of this browser was last used (ms), for the idle sign-out */
  const otherTabActiveAt = ref(0);

  let channel: SessionChannel | null = null;
  let lastActivePost = 0;

  /** Join the other tabs of this browser (once, at boot, before restore). */
  function connectTabs(): void {
    channel ??= openSessionChannel((m) => void onTabMessage(m));
  }

  async function onTabMessage(m: SessionMessage): Promise<void> {
    if (m.type === 'ask') {
      if (token.value && isSignedIn.value && !needsSetup.value) channel?.post({ type: 'share', token: token.value });
    } else if (m.type === 'signed-in') {
      // The sign-in screen sees isSignedIn and goes on where it was going.
      if (!isSignedIn.value && (await adoptToken(m.token))) endedReason.value = null;
    } else if (m.type === 'signed-out') {
      if (token.value === m.token) {
        clear();
        endedReason.value = 'You signed out in another tab.';
      }
    } else if (m.type === 'active') {
      otherTabActiveAt.value = Date.now();
    }
  }

  /** This tab is in use: the others hear it (at most every 15 s) and keep the session too. */
  function noteActivity(): void {
    const now = Date.now();
    if (!isSignedIn.value || now - lastActivePost < ACTIVE_EVERY_MS) return;
    lastActivePost = now;
    channel?.post({ type: 'active' });
  }

  function announceSignIn(): void {
    if (token.value && !needsSetup.value) channel?.post({ type: 'signed-in', token: token.value });
  }

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

  /**
   * Pick up a session from before a reload, or the one another tab of this browser holds; false
   * when there is none or it has ended.
   */
  async function restore(): Promise<boolean> {
    const saved = sessionStorage.getItem(TOKEN_KEY) ?? (await channel?.ask()) ?? null;
    return saved ? adoptToken(saved) : false;
  }

  async function adoptToken(t: string): Promise<boolean> {
    api().setToken(t);
    try {
      const me = await api().get<MeResponse>('auth_node', AuthPaths.me);
      if (me.user.role !== 'admin') throw new Error('not an admin');
      adopt(t, me.user, me.expiresAt, me.mfaSetupRequired);
      return true;
    } catch {
      clear();
      return false;
    }
  }

  /** Ask the server about our session: that also pushes its idle expiry forward. */
  async function refresh(): Promise<void> {
    if (!token.value) return;
    try {
      const me = await api().get<MeResponse>('auth_node', AuthPaths.me);
      user.value = me.user;
      expiresAt.value = me.expiresAt;
    } catch {
      // A 401 ends the session through the API client; anything else is tried again later.
    }
  }

  async function login(req: AdminLoginRequest): Promise<LoginResponse> {
    const res = await api().post<LoginResponse>('auth_node', AuthPaths.loginAdmin, req);
    adopt(res.token, res.user, res.expiresAt, res.mfaSetupRequired);
    endedReason.value = null;
    announceSignIn();
    return res;
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const res = await api().post<UserResponse>('auth_node', AuthPaths.mePassword, { currentPassword, newPassword });
    const finishedSetup = needsSetup.value;
    user.value = res.user;
    mustChangePassword.value = res.user.mustChangePassword;
    if (finishedSetup) announceSignIn();
  }

  function enrollTotp(): Promise<TotpEnrollment> {
    return api().post<TotpEnrollment>('auth_node', AuthPaths.meTotpEnroll, {});
  }

  /** 2FA is on: a new secret, pending until confirmed; needs the password and a current code. */
  function replaceTotp(currentPassword: string, totp: string): Promise<TotpEnrollment> {
    return api().post<TotpEnrollment>('auth_node', AuthPaths.meTotpReplace, { currentPassword, totp });
  }

  async function confirmTotp(totp: string): Promise<void> {
    const res = await api().post<UserResponse>('auth_node', AuthPaths.meTotpConfirm, { totp });
    const finishedSetup = needsSetup.value;
    user.value = res.user;
    mfaSetupRequired.value = false;
    if (finishedSetup) announceSignIn();
  }

  async function logout(): Promise<void> {
    if (token.value) channel?.post({ type: 'signed-out', token: token.value });
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
    otherTabActiveAt,
    connectTabs,
    noteActivity,
    loadAppInfo,
    restore,
    refresh,
    login,
    changePassword,
    enrollTotp,
    replaceTotp,
    confirmTotp,
    logout,
    expire,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot));
