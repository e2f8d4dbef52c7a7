import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive } from 'vue';
import { AuthPaths } from '@contracts/routes/auth';
import type { AdminEvent } from '@contracts/realtime';
import { openNamespace, type RealtimeNamespace, type RealtimeSocket } from '../api/realtime';
import { api } from '../api/instance';
import { useSessionStore } from './session';

export type LinkState = 'idle' | 'connecting' | 'live' | 'down';

export interface LinkInfo {
  state: LinkState;
  error: string | null;
  /** when the link entered this state (ms since epoch), so the UI can say for how long */
  since: number;
  /** reconnect attempts since the link was last live */
  attempts: number;
}

/**
 * Our own retries when socket.io gives up: it never reconnects after the server disconnects
 * a socket ("io server disconnect", which a realtime restart does to every socket) or refuses
 * one in its middleware (auth_node briefly unavailable). Short, so the link is back within a
 * couple of seconds of realtime being ready.
 */
export const RETRY_MIN_MS = 300;
export const RETRY_MAX_MS = 2000;

/**
 * One socket per namespace for the whole window, shared by every store that listens on it,
 * with its link state visible in the UI. A link that drops comes back by itself, signs in
 * again with the current token, and tells the stores that registered with `onReconnect` to
 * rejoin rooms and refetch what may have changed meanwhile. Sockets end on sign-out.
 */
export const useRealtimeStore = defineStore('realtime', () => {
  const links = reactive<Record<string, LinkInfo>>({});
  // each entry is the namespace's own typed socket: `socket()` is the only reader and writer
  const sockets = new Map<RealtimeNamespace, RealtimeSocket<RealtimeNamespace>>();
  const retryTimers = new Map<RealtimeNamespace, ReturnType<typeof setTimeout>>();
  const reconnectHandlers = new Map<RealtimeNamespace, Set<() => void>>();

  function setLink(ns: RealtimeNamespace, state: LinkState, error: string | null = null): void {
    const prev = links[ns];
    const attempts = state === 'live' ? 0 : (prev?.attempts ?? 0);
    links[ns] = { state, error, since: prev?.state === state ? prev.since : Date.now(), attempts };
  }

  function scheduleRetry(ns: RealtimeNamespace, s: RealtimeSocket<RealtimeNamespace>): void {
    if (retryTimers.has(ns)) return;
    const link = links[ns];
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (link?.attempts ?? 0));
    if (link) link.attempts += 1;
    retryTimers.set(
      ns,
      setTimeout(() => {
        retryTimers.delete(ns);
        // Signed out or replaced meanwhile, or socket.io's own reconnection took over.
        if (sockets.get(ns) !== s || s.connected || s.active) return;
        setLink(ns, 'connecting', links[ns]?.error ?? null);
        s.connect();
      }, delay),
    );
  }

  function socket<N extends RealtimeNamespace>(ns: N): RealtimeSocket<N> {
    const existing = sockets.get(ns) as RealtimeSocket<N> | undefined;
    if (existing) return existing;
    const session = useSessionStore();
    const s = openNamespace(ns, {
      baseUrl: session.realtimeUrl,
      token: () => session.token,
    });
    let connectedBefore = false;
    setLink(ns, 'connecting');
    s.on('connect', () => {
      setLink(ns, 'live');
      if (connectedBefore) for (const fn of reconnectHandlers.get(ns) ?? []) fn();
      connectedBefore = true;
    });
    s.on('disconnect', (reason) => {
      setLink(ns, 'connecting', `disconnected: ${reason}`);
      if (reason === 'io server disconnect') scheduleRetry(ns, s);
    });
    s.on('connect_error', (err: Error) => {
      setLink(ns, 'down', err.message);
      if (s.active) return; // a transport error: socket.io retries by itself
      // Refused by the server. If our token has ended, a REST call's 401 ends the session
      // (and closes this socket); otherwise keep trying.
      if (err.message === 'unauthorized')
        void api()
          .get('auth_node', AuthPaths.me)
          .catch(() => {});
      scheduleRetry(ns, s);
    });
    s.io.on('reconnect_attempt', (n: number) => {
      const link = links[ns];
      if (link) link.attempts = n;
      if (link?.state !== 'down') setLink(ns, 'connecting', link?.error ?? null);
    });
    sockets.set(ns, s as RealtimeSocket<RealtimeNamespace>);
    return s;
  }

  /** Run `fn` each time this namespace's link comes back after a drop (not on the first connect). */
  function onReconnect(ns: RealtimeNamespace, fn: () => void): () => void {
    let set = reconnectHandlers.get(ns);
    if (!set) reconnectHandlers.set(ns, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  const adminListeners = new Map<string, RealtimeSocket<'/admin'>>();
  /**
   * `onEvent` hears /admin's admin_event, subscribed once per socket under `key` (a new sign-in
   * brings a new socket), and `refetch` runs after each reconnect for what was missed meanwhile.
   */
  function onAdminEvents(key: string, onEvent: (e: AdminEvent) => void, refetch: () => void): void {
    const s = socket('/admin');
    if (adminListeners.get(key) === s) return;
    adminListeners.set(key, s);
    s.on('admin_event', onEvent);
    onReconnect('/admin', refetch);
  }

  function state(ns: RealtimeNamespace): LinkState {
    return links[ns]?.state ?? 'idle';
  }

  function closeAll(): void {
    for (const t of retryTimers.values()) clearTimeout(t);
    retryTimers.clear();
    for (const [ns, s] of sockets) {
      s.removeAllListeners();
      s.io.removeAllListeners('reconnect_attempt');
      s.disconnect();
      links[ns] = { state: 'idle', error: null, since: Date.now(), attempts: 0 };
    }
    sockets.clear();
    reconnectHandlers.clear();
    adminListeners.clear();
  }

  return { links, socket, state, onReconnect, onAdminEvents, closeAll };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRealtimeStore, import.meta.hot));
