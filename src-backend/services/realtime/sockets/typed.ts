import type { Namespace, Server, Socket } from 'socket.io';
import type {
  ChatClientToServer,
  ChatServerToClient,
  HeartbeatClientToServer,
  HeartbeatServerToClient,
  InterServerEvents,
  NamespaceEvents,
  NamespaceName,
  NotificationClientToServer,
  NotificationServerToClient,
  SocketData,
} from '../../../contracts/realtime.js';

/** A namespace typed with its own event maps from the contract. */
export type RealtimeNamespace<N extends NamespaceName> = Namespace<
  NamespaceEvents[N]['clientToServer'],
  NamespaceEvents[N]['serverToClient'],
  InterServerEvents,
  SocketData
>;
export type RealtimeSocket<N extends NamespaceName> = Socket<
  NamespaceEvents[N]['clientToServer'],
  NamespaceEvents[N]['serverToClient'],
  InterServerEvents,
  SocketData
>;
type SocketOf<C extends HeartbeatClientToServer, S extends HeartbeatServerToClient> = Socket<
  C,
  S,
  InterServerEvents,
  SocketData
>;
/** Any namespace's socket: every one serves the heartbeat (a socket with more events is one of these too). */
export type AnySocket = SocketOf<HeartbeatClientToServer, HeartbeatServerToClient>;
/** A socket on `/` or `/chat`. */
export type ChatSocket = SocketOf<ChatClientToServer, ChatServerToClient>;
/** A socket on `/` or `/notification`. */
export type NotificationSocket = SocketOf<NotificationClientToServer, NotificationServerToClient>;

/**
 * The one cast between socket.io and the contract: `io.of()` is typed with the server's own
 * maps, while each of our namespaces has its own.
 */
export function typedNamespace<N extends NamespaceName>(io: Server, name: N): RealtimeNamespace<N> {
  return io.of(name) as unknown as RealtimeNamespace<N>;
}
