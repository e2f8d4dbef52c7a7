import type { AbuseGuard } from './abuse.js';
import { MAX_PAYLOAD_DEPTH, nestedDeeperThan } from './abuse.js';
import type { AnySocket } from './typed.js';

export interface GateOptions {
  /** events this namespace serves */
  readonly known: ReadonlySet<string>;
  /** events served on other namespaces only: event → where to send it instead */
  readonly elsewhere: ReadonlyMap<string, string>;
  readonly abuse: AbuseGuard;
}

/**
 * Per-socket gate in front of every handler. Every inbound event, known or not, takes a token
 * from its user's bucket (shared by all their sockets): over the rate it gets `{success:false}`
 * on its ack, and a socket that keeps on is disconnected. Then payloads nested deeper than 32
 * levels are dropped, unknown events are dropped (counted, unless an admin sent them), and an
 * event of a sibling namespace is answered with where it belongs.
 */
export function gateSocket(socket: AnySocket, opts: GateOptions): void {
  const user = socket.data.user;
  opts.abuse.admit(socket);
  socket.use((packet, next) => {
    const [event] = packet;
    const last: unknown = packet[packet.length - 1];
    const reply = typeof last === 'function' ? (last as (r: unknown) => void) : () => {};
    if (!opts.abuse.take(user.id)) {
      reply({ success: false, error: 'rate limited' });
      if (opts.abuse.abusive(user.id)) socket.disconnect(true);
      return;
    }
    if (nestedDeeperThan(packet.slice(1), MAX_PAYLOAD_DEPTH + 1)) {
      opts.abuse.count('tooDeep');
      return reply({ success: false, error: `payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels` });
    }
    const misrouted = typeof event === 'string' ? opts.elsewhere.get(event) : undefined;
    if (misrouted !== undefined)
      return reply({ success: false, error: `${event} is not served on ${socket.nsp.name}; use ${misrouted}` });
    if (typeof event !== 'string' || !opts.known.has(event)) {
      if (user.role !== 'admin') opts.abuse.count('unknownEvent');
      return;
    }
    next();
  });
}
