import { io, type Socket } from 'socket.io-client';
import type { NamespaceEvents } from '@contracts/realtime';

export type RealtimeNamespace = '/logs' | '/admin' | '/courses' | '/';

/** The console's end of a namespace, typed with the contract's maps (listen to server events, emit client ones). */
export type RealtimeSocket<N extends RealtimeNamespace> = Socket<
  NamespaceEvents[N]['serverToClient'],
  NamespaceEvents[N]['clientToServer']
>;

export interface NamespaceOptions {
  /** realtime origin; the page's own origin in server mode (the gateway proxies /socket.io/) */
  readonly baseUrl: string;
  /** read on every (re)connect, so a reconnect after sign-in uses the current session */
  readonly token: () => string | null;
  /** extra handshake fields, e.g. the log backlog request */
  readonly auth?: Record<string, unknown>;
}

/** One Socket.IO connection to a namespace, authenticated with the admin session token. */
export function openNamespace<N extends RealtimeNamespace>(ns: N, opts: NamespaceOptions): RealtimeSocket<N> {
  const url = new URL(ns === '/' ? '/' : ns, opts.baseUrl || window.location.origin).toString();
  return io(url, {
    // A function, not an object: socket.io calls it on each attempt, so the token stays fresh.
    auth: (cb) => cb({ ...opts.auth, token: opts.token() ?? '' }),
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    // Short: after a realtime restart the console must be live again within a few seconds.
    reconnectionDelayMax: 2000,
    timeout: 10_000,
  });
}
