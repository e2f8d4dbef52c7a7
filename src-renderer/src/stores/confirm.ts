import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel?: string;
  /** destructive actions get a red button and the focus starts on Cancel */
  danger?: boolean;
}

interface Pending extends ConfirmRequest {
  resolve: (ok: boolean) => void;
}

/**
 * One confirmation dialog for the whole console: `await confirm.ask({...})` resolves true only
 * when the admin explicitly confirms; Esc, Cancel and closing all mean no.
 */
export const useConfirmStore = defineStore('confirm', () => {
  const pending = ref<Pending | null>(null);

  function ask(req: ConfirmRequest): Promise<boolean> {
    pending.value?.resolve(false);
    return new Promise<boolean>((resolve) => {
      pending.value = { ...req, resolve };
    });
  }

  function answer(ok: boolean): void {
    const p = pending.value;
    pending.value = null;
    p?.resolve(ok);
  }

  /** The one question before disabling an account (Users list and a user's page). */
  function disableUser(u: { username: string; name: string }): Promise<boolean> {
    return ask({
      title: `Disable ${u.username}?`,
      message: `${u.name} is signed out everywhere at once and cannot sign in until enabled again.`,
      confirmLabel: 'Disable',
      danger: true,
    });
  }

  return { pending, ask, answer, disableUser };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useConfirmStore, import.meta.hot));
