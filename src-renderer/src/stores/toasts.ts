import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';

export type ToastKind = 'success' | 'error' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

/** Short confirmations and background failures, announced to screen readers by ToastHost. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function push(kind: ToastKind, text: string, ttlMs = kind === 'error' ? 8000 : 4000): number {
    const id = nextId++;
    toasts.value = [...toasts.value.slice(-4), { id, kind, text }];
    setTimeout(() => dismiss(id), ttlMs);
    return id;
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  return {
    toasts,
    push,
    dismiss,
    success: (text: string) => push('success', text),
    error: (text: string) => push('error', text),
    info: (text: string) => push('info', text),
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useToastStore, import.meta.hot));
