import type { RealtimeDropped } from '../../../contracts/realtime.js';
import type { AnySocket } from './typed.js';

/** Refused messages within one window after which a socket is cut off: it ignores "rate limited". */
export const ABUSE_LIMIT = 200;
const ABUSE_WINDOW_MS = 10_000;
/** Payloads nested deeper than this are dropped before any handler (or our own walkers) sees them. */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * A token bucket: `rate` messages a second, bursts up to `burst`. Refusals are counted per 10 s
 * window, so a client slightly over the rate is slowed down but never cut off, while a flood is
 * cut off even if the bucket refills a token now and then.
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
  /** full again and not in a refusal window: forgetting it loses nothing */
  get idle(): boolean {
    const now = Date.now();
    return (
      now - this.windowStart > ABUSE_WINDOW_MS && this.tokens + ((now - this.last) / 1000) * this.rate >= this.burst
    );
  }
}

/** True when `value` has more than `max` levels of arrays and objects (iterative: no stack to overflow). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export interface AbuseLimits {
  /** inbound events (and handshakes) per second per user, across all their sockets */
  readonly rate: number;
  readonly burst: number;
  /** sockets one user may hold on one namespace; beyond it the oldest is disconnected */
  readonly maxSocketsPerUser: number;
}

interface UserState {
  readonly limiter: RateLimiter;
  /** open sockets per namespace, oldest first */
  readonly sockets: Map<string, AnySocket[]>;
}

/**
 * What one user may do on this instance, whatever the number of sockets they open: one token
 * bucket for every inbound event and handshake, and a cap on sockets per namespace. Also counts
 * what it drops, for /stats. With several instances (Redis) each applies the limits to the
 * sockets it holds.
 */
export class AbuseGuard {
  private readonly users = new Map<number, UserState>();
  private readonly counts: RealtimeDropped = { rateLimited: 0, tooDeep: 0, unknownEvent: 0, socketsOverCap: 0 };
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly limits: AbuseLimits) {
    // users with no socket left whose bucket has refilled are forgotten
    this.sweeper = setInterval(() => {
      for (const [id, u] of this.users) if (u.sockets.size === 0 && u.limiter.idle) this.users.delete(id);
    }, 60_000);
    this.sweeper.unref();
  }

  private user(id: number): UserState {
    let u = this.users.get(id);
    if (!u)
      this.users.set(id, (u = { limiter: new RateLimiter(this.limits.rate, this.limits.burst), sockets: new Map() }));
    return u;
  }

  /** Take one token of the user's bucket; false (and counted) when they are over their rate. */
  take(userId: number): boolean {
    if (this.user(userId).limiter.take()) return true;
    this.counts.rateLimited += 1;
    return false;
  }

  abusive(userId: number): boolean {
    return this.users.get(userId)?.limiter.abusive ?? false;
  }

  count(what: 'tooDeep' | 'unknownEvent'): void {
    this.counts[what] += 1;
  }

  /** Track a connected socket; the user's oldest on this namespace goes when they are over the cap. */
  admit(socket: AnySocket): void {
    const u = this.user(socket.data.user.id);
    const nsp = socket.nsp.name;
    const open = u.sockets.get(nsp) ?? [];
    u.sockets.set(nsp, open);
    open.push(socket);
    socket.once('disconnect', () => {
      const i = open.indexOf(socket);
      if (i >= 0) open.splice(i, 1);
      if (open.length === 0) u.sockets.delete(nsp);
    });
    while (open.length > this.limits.maxSocketsPerUser) {
      const oldest = open.shift()!;
      this.counts.socketsOverCap += 1;
      oldest.disconnect(true);
    }
  }

  dropped(): RealtimeDropped {
    return { ...this.counts };
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
