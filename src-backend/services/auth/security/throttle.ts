import { tooManyRequests } from '../../../shared/app-error.js';

export interface ThrottleOptions {
  /** failures an account may have before delays start */
  readonly freeFailures: number;
  /** first delay; each further failure doubles it */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** an account's failure count is forgotten after this long without failures */
  readonly forgetAfterMs: number;
  /** failures one address may cause within addressWindowMs, across all accounts */
  readonly addressLimit: number;
  readonly addressWindowMs: number;
  readonly maxEntries: number;
  readonly now: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 3,
  baseDelayMs: 2000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 30 * 60_000,
  addressLimit: 50,
  addressWindowMs: 5 * 60_000,
  maxEntries: 100_000,
  now: Date.now,
};

interface AccountState {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

/**
 * Failed-login throttle, in memory in the one auth process: per account a growing delay
 * (2 s, 4 s, 8 s … up to 15 min after the free failures), per address a cap on failures in a
 * sliding window. Unknown usernames are tracked like real ones so the answer never differs.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, AccountState>();
  private readonly addresses = new Map<string, number[]>();
  private readonly opts: ThrottleOptions;

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  /** Throws 429 with retry-after while the account or the address must wait. */
  check(account: string, address: string | null): void {
    const now = this.opts.now();
    const state = this.accounts.get(account.toLowerCase());
    if (state && state.lockedUntil > now) {
      throw tooManyRequests(
        'too many failed sign-ins for this account; try again later',
        (state.lockedUntil - now) / 1000,
      );
    }
    if (address) {
      const recent = this.recentFailures(address, now);
      if (recent.length >= this.opts.addressLimit) {
        const retryMs = recent[0]! + this.opts.addressWindowMs - now;
        throw tooManyRequests('too many failed sign-ins from this address; try again later', retryMs / 1000);
      }
    }
  }

  fail(account: string, address: string | null): void {
    const now = this.opts.now();
    const key = account.toLowerCase();
    let state = this.accounts.get(key);
    if (!state || now - state.lastFailure > this.opts.forgetAfterMs)
      state = { failures: 0, lastFailure: now, lockedUntil: 0 };
    state.failures++;
    state.lastFailure = now;
    const over = state.failures - this.opts.freeFailures;
    if (over > 0)
      state.lockedUntil = now + Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(over - 1, 30));
    this.put(this.accounts, key, state);
    if (address) {
      const recent = this.recentFailures(address, now);
      recent.push(now);
      if (recent.length > this.opts.addressLimit) recent.shift();
      this.put(this.addresses, address, recent);
    }
  }

  succeed(account: string): void {
    this.accounts.delete(account.toLowerCase());
  }

  private recentFailures(address: string, now: number): number[] {
    const list = this.addresses.get(address) ?? [];
    while (list.length && list[0]! <= now - this.opts.addressWindowMs) list.shift();
    return list;
  }

  /** Re-insert to keep Map order = recency, and drop the stalest entry past the cap. */
  private put<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.opts.maxEntries) map.delete(map.keys().next().value as string);
  }
}
