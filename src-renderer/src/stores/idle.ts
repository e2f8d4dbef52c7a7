import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useSessionStore } from './session';

/** An unattended console signs itself out after this long… */
export const IDLE_SIGN_OUT_MS = 30 * 60_000;
/** …and says so this long before. */
export const IDLE_WARNING_MS = 60_000;
/** with "keep signed in while visible", how often the session is refreshed on the server */
export const KEEP_ALIVE_EVERY_MS = 5 * 60_000;

const KEEP_KEY = 'csc.keepSignedInWhileVisible';
const EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;

/**
 * The idle sign-out. The console polls the backend all the time, which keeps the server-side
 * session fresh, so an unattended console has to end its own session. Use in any tab of this
 * browser counts (the tabs share one sign-in). A wall display (Courses, the board) can opt to
 * stay signed in while it is visible: it then counts as used and refreshes its session.
 */
export const useIdleStore = defineStore('idle', () => {
  const lastActivity = ref(Date.now());
  const now = ref(Date.now());
  const keepWhileVisible = ref(localStorage.getItem(KEEP_KEY) === 'true');
  const running = ref(false);
  let lastKeepAlive = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let onTimeout: (() => void) | null = null;

  const remainingMs = computed(() => Math.max(0, IDLE_SIGN_OUT_MS - (now.value - lastActivity.value)));
  const warning = computed(() => running.value && remainingMs.value <= IDLE_WARNING_MS);
  const secondsLeft = computed(() => Math.ceil(remainingMs.value / 1000));

  watch(keepWhileVisible, (on) => localStorage.setItem(KEEP_KEY, String(on)));

  const session = useSessionStore();
  // Use of another tab is use of this console.
  watch(
    () => session.otherTabActiveAt,
    (at) => {
      if (at > lastActivity.value) lastActivity.value = at;
    },
    { flush: 'sync' },
  );

  function touch(): void {
    lastActivity.value = now.value = Date.now();
    session.noteActivity();
  }

  /**
   * A key press, click or wheel. Once the warning shows, only its buttons decide: a pointerdown
   * that closed it would swallow the click on "Sign out now".
   */
  function onUse(): void {
    if (!warning.value) touch();
  }

  const visible = () => document.visibilityState === 'visible';

  /** One look at the clock: keep alive, warn, or sign out. */
  function tick(): void {
    now.value = Date.now();
    if (!session.isSignedIn) {
      lastActivity.value = now.value;
      return;
    }
    if (keepWhileVisible.value && visible()) {
      touch();
      if (now.value - lastKeepAlive >= KEEP_ALIVE_EVERY_MS) {
        lastKeepAlive = now.value;
        void session.refresh();
      }
      return;
    }
    if (remainingMs.value === 0) {
      lastActivity.value = now.value;
      onTimeout?.();
    }
  }

  /** Start watching for use; `timeout` runs once the idle time is up. */
  function start(timeout: () => void, everyMs = 1000): void {
    stop();
    onTimeout = timeout;
    lastActivity.value = now.value = Date.now();
    for (const e of EVENTS) window.addEventListener(e, onUse, { passive: true, capture: true });
    timer = setInterval(tick, everyMs);
    running.value = true;
  }

  function stop(): void {
    for (const e of EVENTS) window.removeEventListener(e, onUse, { capture: true });
    if (timer) clearInterval(timer);
    timer = null;
    onTimeout = null;
    running.value = false;
  }

  return {
    keepWhileVisible,
    remainingMs,
    secondsLeft,
    warning,
    stay: touch,
    tick,
    start,
    stop,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useIdleStore, import.meta.hot));
