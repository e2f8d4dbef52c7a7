import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import {
  type CodeInfo,
  type CodeList,
  type GenerateRegistrationCodeRequest,
  type GenerateResetCodeRequest,
  type GeneratedCode,
} from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import type { AdminEvent } from '@contracts/realtime';
import { api } from '../api/instance';
import { withQuery } from '../api/client';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

export type CodeKindFilter = 'all' | 'registration' | 'reset';

/**
 * Registration and 2FA-reset codes. The server stores only hashes, so a code's text exists in
 * this window only right after it was generated (`fresh`); the list shows metadata.
 */
export const useCodesStore = defineStore('codes', () => {
  const items = shallowRef<CodeInfo[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const kind = ref<CodeKindFilter>('all');
  const activeOnly = ref(false);
  /** codes generated in this window, newest first, so they can still be copied */
  const fresh = ref<GeneratedCode[]>([]);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const res = await api().get<CodeList>(
        'auth_node',
        withQuery(AuthPaths.codes, {
          kind: kind.value === 'all' ? undefined : kind.value,
          active: activeOnly.value ? true : undefined,
          limit: 500,
        }),
      );
      items.value = res.items;
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  async function generateRegistration(req: GenerateRegistrationCodeRequest): Promise<GeneratedCode> {
    const res = await api().post<GeneratedCode>('auth_node', AuthPaths.generateRegistrationCode, req);
    fresh.value = [res, ...fresh.value].slice(0, 20);
    await load();
    return res;
  }

  async function generateReset(req: GenerateResetCodeRequest): Promise<GeneratedCode> {
    const res = await api().post<GeneratedCode>('auth_node', AuthPaths.generateResetCode, req);
    fresh.value = [res, ...fresh.value].slice(0, 20);
    await load();
    return res;
  }

  async function revoke(code: CodeInfo): Promise<void> {
    await api().post('auth_node', AuthPaths.codeRevoke(code.id, code.kind), {});
    fresh.value = fresh.value.filter((f) => !(f.info.id === code.id && f.info.kind === code.kind));
    await load();
  }

  function forget(g: GeneratedCode): void {
    fresh.value = fresh.value.filter((f) => f !== g);
  }

  /** Use counts move when a student registers with a code; codes come and go from the CLI too. */
  function onAdminEvent(e: AdminEvent): void {
    const via = (e.data as { via?: unknown } | null)?.via;
    if (
      e.type === 'code_generated' ||
      e.type === 'code_revoked' ||
      (e.type === 'user_created' && via === 'registration')
    )
      void load();
  }

  function listen(): void {
    useRealtimeStore().onAdminEvents('codes', onAdminEvent, () => void load());
  }

  return {
    items,
    loading,
    error,
    kind,
    activeOnly,
    fresh,
    load,
    generateRegistration,
    generateReset,
    revoke,
    forget,
    onAdminEvent,
    listen,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCodesStore, import.meta.hot));
