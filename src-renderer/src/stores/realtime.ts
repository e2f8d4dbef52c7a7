import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive } from 'vue';
import { openNamespace, type RealtimeNamespace, type RealtimeSocket } from '../api/realtime';
import { useSessionStore } from './session';

export type LinkState = 'idle' | 'connecting' | 'live' | 'down';

/**
 * One socket per namespace for the whole window, shared by every store that listens on it,
 * with its link state visible in the UI. Sockets end on sign-out.
 */
export const useRealtimeStore = defineStore('realtime', () => {
  const links = reactive<Record<string, { state: LinkState; error: string | null }>>({});
  // each entry is the namespace's own typed socket: `socket()` is the only reader and writer
  const sockets = new Map<RealtimeNamespace, RealtimeSocket<RealtimeNamespace>>();

  function socket<N extends RealtimeNamespace>(ns: N): RealtimeSocket<N> {
    const existing = sockets.get(ns) as RealtimeSocket<N> | undefined;
    if (existing) return existing;
    const session = useSessionStore();
    const s = openNamespace(ns, {
      baseUrl: session.realtimeUrl,
      token: () => session.token,
    });
    links[ns] = { state: 'connecting', error: null };
    s.on('connect', () => (links[ns] = { state: 'live', error: null }));
    s.on('disconnect', () => (links[ns] = { state: 'connecting', error: null }));
    s.on('connect_error', (err: Error) => (links[ns] = { state: 'down', error: err.message }));
    s.io.on('reconnect_attempt', () => {
      if (links[ns]?.state !== 'down') links[ns] = { state: 'connecting', error: null };
    });
    sockets.set(ns, s as RealtimeSocket<RealtimeNamespace>);
    return s;
  }

  function state(ns: RealtimeNamespace): LinkState {
    return links[ns]?.state ?? 'idle';
  }

  function closeAll(): void {
    for (const [ns, s] of sockets) {
      s.removeAllListeners();
      s.disconnect();
      links[ns] = { state: 'idle', error: null };
    }
    sockets.clear();
  }

  return { links, socket, state, closeAll };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRealtimeStore, import.meta.hot));
