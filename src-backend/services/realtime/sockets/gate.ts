import type { AnySocket } from './typed.js';

/** Refused messages within one window after which a socket is cut off: it ignores "rate limited". */
export const ABUSE_LIMIT = 200;
const ABUSE_WINDOW_MS = 10_000;

/**
 * A token bucket per socket: `rate` messages a second, bursts up to `burst`. Refusals are counted
 * per 10 s window, so a client slightly over the rate is slowed down but never cut off, while a
 * flood is cut off even if the bucket refills a token now and then.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private windowStart = 0;
  private refused = 0;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    if (now - this.windowStart > ABUSE_WINDOW_MS) {
      this.windowStart = now;
      this.refused = 0;
    }
    this.refused += 1;
    return false;
  }
  get abusive(): boolean {
    return this.refused >= ABUSE_LIMIT;
  }
}

export interface GateOptions {
  /** events this namespace serves */
  readonly known: ReadonlySet<string>;
  /** events served on other namespaces only: event → where to send it instead */
  readonly elsewhere: ReadonlyMap<string, string>;
  readonly rate: number;
  readonly burst: number;
}

/**
 * Per-socket gate in front of every handler: unknown events are dropped without a word, an event
 * of a sibling namespace is answered with where it belongs, a socket over its message rate gets
 * `{success:false}` on its ack and is disconnected if it keeps on.
 */
export function gateSocket(socket: AnySocket, opts: GateOptions): void {
  const limiter = new RateLimiter(opts.rate, opts.burst);
  socket.use((packet, next) => {
    const [event] = packet;
    if (typeof event !== 'string') return;
    const misrouted = opts.elsewhere.get(event);
    if (!opts.known.has(event) && misrouted === undefined) return;
    const last: unknown = packet[packet.length - 1];
    const reply = typeof last === 'function' ? (last as (r: unknown) => void) : () => {};
    if (!limiter.take()) {
      reply({ success: false, error: 'rate limited' });
      if (limiter.abusive) socket.disconnect(true);
      return;
    }
    if (misrouted !== undefined)
      return reply({ success: false, error: `${event} is not served on ${socket.nsp.name}; use ${misrouted}` });
    next();
  });
}
