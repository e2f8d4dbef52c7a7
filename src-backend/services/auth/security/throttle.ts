import { setTimeout as sleep } from 'node:timers/promises';
import { tooManyRequests } from '../../../shared/app-error.js';

export interface ThrottleOptions {
  /** failures one (account, address) pair may have before delays start */
  readonly freeFailures: number;
  /** first delay; each further failure doubles it */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** a pair's failure count is forgotten after this long without failures */
  readonly forgetAfterMs: number;
  /** failures (settled or in flight) one address may cause within addressWindowMs, across all accounts */
  readonly addressLimit: number;
  readonly addressWindowMs: number;
  /** failures an account may have within accountWindowMs, from every address, before answers slow down */
  readonly accountCeiling: number;
  readonly accountWindowMs: number;
  /** how long each attempt on an account over its ceiling waits before it is judged */
  readonly ceilingDelayMs: number;
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
  accountCeiling: 100,
  accountWindowMs: 15 * 60_000,
  ceilingDelayMs: 2000,
  maxEntries: 100_000,
  now: Date.now,
};

/** Retry-after when only in-flight attempts fill an address's budget: they settle within about a second. */
const PENDING_RETRY_MS = 1000;

/** One (account, address) pair: the growing delay lives here. */
interface PairState {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
  /** attempts begun and not yet settled */
  pending: number;
}

interface AddressState {
  /** times of settled failures inside the window, oldest first */
  failures: number[];
  pending: number;
}

/** An account's failures from every address: a sliding-window counter (two fixed windows, weighted). */
interface AccountState {
  windowStart: number;
  count: number;
  previous: number;
}

/** One begun sign-in. Settle it once; later calls (a `finally` release) do nothing. */
export interface LoginAttempt {
  /** how long pace() waits: 0, or the ceiling's delay when the account is over it */
  readonly slowdownMs: number;
  /** resolves once the attempt may be judged: at once, or after slowdownMs */
  pace(): Promise<void>;
  /** a wrong guess: counts against the pair, the account and the address */
  fail(): void;
  /** the right credentials: the pair's failures are forgotten */
  succeed(): void;
  /** neither (the guess was never judged, e.g. a downstream error): the reservation is returned */
  release(): void;
}

export interface BeginOptions {
  /**
   * false: the pair's delay still applies and failures still count, but an attempt in
   * flight does not hold the pair back (registration keys by address, and a class may
   * register at once from one lab).
   */
  readonly reserveAccount?: boolean;
}

/**
 * Failed-login throttle, in memory in the one auth process:
 * - per (account, address) a growing delay (2 s, 4 s, 8 s … up to 15 min after the free
 *   failures), so guesses from other addresses never lock the real user out;
 * - per account a much higher ceiling (100 failures in 15 min) past which every answer is
 *   slowed, never refused: a botnet gets few guesses per second, the owner still gets in;
 * - per address a cap on failures across accounts in a sliding window.
 * Unknown usernames are tracked like real ones so the answer never differs.
 *
 * An attempt is reserved before its credentials are looked at and counts as a failure until
 * it settles, so N parallel guesses get no more verifications than N sequential ones would.
 */
export class LoginThrottle {
  private readonly pairs = new Map<string, PairState>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly addresses = new Map<string, AddressState>();
  private readonly opts: ThrottleOptions;

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  /** Throws 429 with retry-after while the pair or the address must wait; else reserves an attempt. */
  begin(account: string, address: string | null, opts: BeginOptions = {}): LoginAttempt {
    const now = this.opts.now();
    const reserve = opts.reserveAccount ?? true;
    const accountKey = account.toLowerCase();
    // The address is part of the pair key; a local caller (no address) is its own "address".
    const pairKey = `${accountKey}\n${address ?? ''}`;
    const pair = this.pair(pairKey, now);
    this.checkPair(pair, now);
    const addr = address ? this.address(address, now) : null;
    if (addr) this.checkAddress(addr, now);
    const slowdownMs = this.overCeiling(accountKey, now) ? this.opts.ceilingDelayMs : 0;

    // Stored even when not reserved, so that concurrent attempts share one state.
    if (reserve) pair.pending++;
    this.put(this.pairs, pairKey, pair);
    if (addr) {
      addr.pending++;
      this.put(this.addresses, address!, addr);
    }
    let settled = false;
    const settle = (outcome: 'fail' | 'succeed' | 'release') => {
      if (settled) return;
      settled = true;
      if (reserve) pair.pending = Math.max(0, pair.pending - 1);
      if (addr) addr.pending = Math.max(0, addr.pending - 1);
      if (outcome === 'fail') this.recordFailure(pairKey, pair, accountKey, address, addr);
      if (outcome === 'succeed') Object.assign(pair, { failures: 0, lockedUntil: 0 });
      // Forget idle entries (only our own: a capped map may have replaced them meanwhile).
      if (pair.pending === 0 && pair.failures === 0 && this.pairs.get(pairKey) === pair) this.pairs.delete(pairKey);
      if (address && addr?.pending === 0 && !addr.failures.length && this.addresses.get(address) === addr)
        this.addresses.delete(address);
    };
    return {
      slowdownMs,
      pace: () => (slowdownMs > 0 ? sleep(slowdownMs) : Promise.resolve()),
      fail: () => settle('fail'),
      succeed: () => settle('succeed'),
      release: () => settle('release'),
    };
  }

  private checkPair(state: PairState, now: number): void {
    const message = 'too many failed sign-ins for this account from this address; try again later';
    if (state.lockedUntil > now) throw tooManyRequests(message, (state.lockedUntil - now) / 1000);
    // Attempts in flight that would start a delay if they all turn out wrong: wait for that delay.
    const over = state.failures + state.pending - this.opts.freeFailures;
    if (state.pending > 0 && over > 0) throw tooManyRequests(message, this.delayMs(over) / 1000);
  }

  private checkAddress(state: AddressState, now: number): void {
    if (state.failures.length + state.pending < this.opts.addressLimit) return;
    const oldest = state.failures[0];
    const retryMs = oldest !== undefined ? oldest + this.opts.addressWindowMs - now : PENDING_RETRY_MS;
    throw tooManyRequests('too many failed sign-ins from this address; try again later', retryMs / 1000);
  }

  private overCeiling(accountKey: string, now: number): boolean {
    const state = this.accounts.get(accountKey);
    if (!state) return false;
    this.roll(state, now);
    const elapsed = (now - state.windowStart) / this.opts.accountWindowMs;
    return state.count + state.previous * (1 - elapsed) >= this.opts.accountCeiling;
  }

  private recordFailure(
    pairKey: string,
    pair: PairState,
    accountKey: string,
    address: string | null,
    addr: AddressState | null,
  ) {
    const now = this.opts.now();
    if (now - pair.lastFailure > this.opts.forgetAfterMs) Object.assign(pair, { failures: 0, lockedUntil: 0 });
    pair.failures++;
    pair.lastFailure = now;
    const over = pair.failures - this.opts.freeFailures;
    if (over > 0) pair.lockedUntil = now + this.delayMs(over);
    this.put(this.pairs, pairKey, pair);

    const acc = this.accounts.get(accountKey) ?? { windowStart: now, count: 0, previous: 0 };
    this.roll(acc, now);
    acc.count++;
    this.put(this.accounts, accountKey, acc);

    if (address && addr) {
      this.prune(addr, now);
      addr.failures.push(now);
      if (addr.failures.length > this.opts.addressLimit) addr.failures.shift();
      this.put(this.addresses, address, addr);
    }
  }

  /** Move an account's counter to the window `now` falls in. */
  private roll(state: AccountState, now: number): void {
    const windows = Math.floor((now - state.windowStart) / this.opts.accountWindowMs);
    if (windows <= 0) return;
    state.previous = windows === 1 ? state.count : 0;
    state.count = 0;
    state.windowStart += windows * this.opts.accountWindowMs;
  }

  private delayMs(over: number): number {
    return Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(over - 1, 30));
  }

  private pair(key: string, now: number): PairState {
    const state = this.pairs.get(key);
    if (!state) return { failures: 0, lastFailure: now, lockedUntil: 0, pending: 0 };
    if (now - state.lastFailure > this.opts.forgetAfterMs && state.lockedUntil <= now) {
      state.failures = 0;
      state.lockedUntil = 0;
    }
    return state;
  }

  private address(address: string, now: number): AddressState {
    const state = this.addresses.get(address) ?? { failures: [], pending: 0 };
    this.prune(state, now);
    return state;
  }

  private prune(state: AddressState, now: number): void {
    while (state.failures.length && state.failures[0]! <= now - this.opts.addressWindowMs) state.failures.shift();
  }

  /** Re-insert to keep Map order = recency, and drop the stalest entry past the cap. */
  private put<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.opts.maxEntries) map.delete(map.keys().next().value as string);
  }
}
