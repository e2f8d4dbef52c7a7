import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AuthUser, UserResponse } from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import type {
  ResetPasswordRequest,
  ResetPasswordResponse,
  SessionInfo,
  SessionList,
  UpdatedUser,
  UpdateUserRequest,
  UserDetail,
  UserWithDetail,
} from '@contracts/user-lifecycle';
import type { AdminEvent } from '@contracts/realtime';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

/**
 * One user as the help desk sees them: the account, the sign-in record, courses, and sessions,
 * with the actions on them (edit, password reset, ending a session, disable).
 */
export const useUserDetailStore = defineStore('user-detail', () => {
  const id = ref<number | null>(null);
  const user = shallowRef<AuthUser | null>(null);
  const detail = shallowRef<UserDetail | null>(null);
  const sessions = shallowRef<SessionInfo[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let seq = 0;

  async function load(userId = id.value): Promise<void> {
    if (userId === null) return;
    if (userId !== id.value) {
      // Another user: never show the previous one's data while the new one loads.
      user.value = null;
      detail.value = null;
      sessions.value = [];
    }
    id.value = userId;
    const mine = ++seq;
    loading.value = true;
    try {
      const [one, list] = await Promise.all([
        api().get<UserWithDetail>('auth_node', AuthPaths.user(userId)),
        api().get<SessionList>('auth_node', AuthPaths.userSessions(userId)),
      ]);
      if (mine !== seq) return;
      user.value = one.user;
      detail.value = one.detail;
      sessions.value = list.sessions;
      error.value = null;
    } catch (err) {
      if (mine === seq) error.value = errorMessage(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  async function save(patch: UpdateUserRequest): Promise<UpdatedUser> {
    const res = await api().patch<UpdatedUser>('auth_node', AuthPaths.user(id.value!), patch);
    user.value = res.user;
    void load();
    return res;
  }

  async function resetPassword(req: Partial<ResetPasswordRequest>): Promise<ResetPasswordResponse> {
    const res = await api().post<ResetPasswordResponse>('auth_node', AuthPaths.userResetPassword(id.value!), req);
    void load();
    return res;
  }

  async function endSession(sessionId: string): Promise<void> {
    await api().delete('auth_node', AuthPaths.userSession(id.value!, sessionId));
    sessions.value = sessions.value.filter((s) => s.id !== sessionId);
    void load();
  }

  async function setDisabled(disabled: boolean): Promise<void> {
    const path = disabled ? AuthPaths.userDisable(id.value!) : AuthPaths.userEnable(id.value!);
    user.value = (await api().post<UserResponse>('auth_node', path, {})).user;
    void load();
  }

  /** Someone else changed this user (another admin, the CLI): show it. */
  function onAdminEvent(e: AdminEvent): void {
    const about = (e.data as { id?: unknown } | null)?.id;
    if (about === id.value || e.type === 'bulk_progress') void load();
  }

  function listen(): void {
    useRealtimeStore().onAdminEvents('user-detail', onAdminEvent, () => void load());
  }

  return { id, user, detail, sessions, loading, error, load, save, resetPassword, endSession, setDisabled, listen };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useUserDetailStore, import.meta.hot));
