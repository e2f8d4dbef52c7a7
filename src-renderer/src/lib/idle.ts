import { onBeforeUnmount, onMounted } from 'vue';

const EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;

/**
 * Call `onIdle` once nobody has touched the window for `idleMs`. The console polls the backend
 * all the time, which keeps the server-side session fresh, so an unattended console has to
 * end its own session.
 */
export function useIdleTimeout(idleMs: number, onIdle: () => void, checkEveryMs = 30_000): void {
  let last = Date.now();
  let timer: ReturnType<typeof setInterval> | null = null;
  const touch = () => (last = Date.now());
  onMounted(() => {
    for (const e of EVENTS) window.addEventListener(e, touch, { passive: true, capture: true });
    timer = setInterval(() => {
      if (Date.now() - last >= idleMs) {
        last = Date.now();
        onIdle();
      }
    }, checkEveryMs);
  });
  onBeforeUnmount(() => {
    for (const e of EVENTS) window.removeEventListener(e, touch, { capture: true });
    if (timer) clearInterval(timer);
  });
}
