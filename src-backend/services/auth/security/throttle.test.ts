import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/app-error.js';
import { LoginThrottle, type LoginAttempt } from './throttle.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
function retryAfter(fn: () => unknown): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).statusCode).toBe(429);
    return ((err as AppError).details as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}
/** Would a new attempt be let through now? (The probe is released at once.) */
const probe = (t: LoginThrottle, account: string, address: string | null) =>
  retryAfter(() => t.begin(account, address).release());
const failOnce = (t: LoginThrottle, account: string, address: string | null) => t.begin(account, address).fail();

describe('LoginThrottle', () => {
  it('lets the free failures through, then delays 1×, 2×, 4× the base, capped', () => {
    const c = clock();
    const t = new LoginThrottle({ freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 3000, now: c.now });
    failOnce(t, 'Bob', null);
    failOnce(t, 'bob', null);
    expect(probe(t, 'BOB', null)).toBeNull();
    const delays: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      failOnce(t, 'bob', null);
      delays.push(probe(t, 'bob', null));
      c.advance(5000);
      expect(probe(t, 'bob', null)).toBeNull();
    }
    expect(delays).toEqual([1, 2, 3]);
  });

  it('a success forgets the failures; so does a long quiet spell', () => {
    const c = clock();
    const t = new LoginThrottle({ freeFailures: 1, baseDelayMs: 1000, forgetAfterMs: 60_000, now: c.now });
    failOnce(t, 'amy', null);
    t.begin('amy', null).succeed();
    failOnce(t, 'amy', null);
    expect(probe(t, 'amy', null)).toBeNull();
    c.advance(61_000);
    failOnce(t, 'amy', null);
    expect(probe(t, 'amy', null)).toBeNull();
  });

  it('caps failures per address across accounts in a sliding window', () => {
    const c = clock();
    const t = new LoginThrottle({ addressLimit: 3, addressWindowMs: 10_000, now: c.now });
    for (const name of ['a', 'b', 'c']) {
      failOnce(t, name, '10.0.0.1');
      c.advance(1000);
    }
    expect(probe(t, 'd', '10.0.0.1')).toBe(7); // the oldest failure (t=0) leaves the 10 s window 7 s from now (t=3 s)
    expect(probe(t, 'd', '10.0.0.2')).toBeNull();
    c.advance(7001);
    expect(probe(t, 'd', '10.0.0.1')).toBeNull();
  });

  it('counts attempts in flight: parallel guesses get no more tries than sequential ones', () => {
    const t = new LoginThrottle({ freeFailures: 3, baseDelayMs: 1000, now: clock().now });
    const begun: LoginAttempt[] = [];
    let refused = 0;
    for (let i = 0; i < 20; i++) {
      if (retryAfter(() => begun.push(t.begin('eve', null))) !== null) refused++;
    }
    // Sequentially the 4th failure is the one that starts the delay, so 4 guesses are judged.
    expect(begun).toHaveLength(4);
    expect(refused).toBe(16);
    begun.forEach((a) => a.fail());
    expect(probe(t, 'eve', null)).toBe(1);
  });

  it('counts in-flight attempts against the address, and returns them when released', () => {
    const t = new LoginThrottle({ addressLimit: 3, now: clock().now });
    const begun = ['a', 'b', 'c'].map((name) => t.begin(name, '10.9.9.9'));
    expect(probe(t, 'd', '10.9.9.9')).toBe(1);
    begun[0]!.succeed();
    begun[1]!.release();
    begun[1]!.fail(); // already settled: ignored
    expect(probe(t, 'd', '10.9.9.9')).toBeNull();
    begun[2]!.fail();
    const more = [t.begin('e', '10.9.9.9'), t.begin('f', '10.9.9.9')];
    expect(probe(t, 'g', '10.9.9.9')).not.toBeNull();
    more.forEach((a) => a.release());
  });

  it('a released attempt leaves the account as it was; a reservation can skip the account', () => {
    const t = new LoginThrottle({ freeFailures: 1, baseDelayMs: 1000, now: clock().now });
    for (let i = 0; i < 5; i++) t.begin('zoe', null).release();
    failOnce(t, 'zoe', null);
    expect(probe(t, 'zoe', null)).toBeNull();
    const inFlight = t.begin('zoe', null);
    expect(probe(t, 'zoe', null)).toBe(1);
    inFlight.release();
    // Registration holds only the address back while in flight: many at once from one lab are fine.
    const regs = Array.from({ length: 10 }, () => t.begin('register@lab', '10.8.8.8', { reserveAccount: false }));
    regs.slice(0, 2).forEach((a) => a.fail());
    regs.slice(2).forEach((a) => a.release());
    expect(probe(t, 'register@lab', '10.8.8.8')).toBe(1); // but its failures still start the delay
  });

  it("delays per (account, address): other addresses' failures do not lock the owner out", () => {
    const c = clock();
    const t = new LoginThrottle({ freeFailures: 3, baseDelayMs: 1000, now: c.now });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) failOnce(t, 'admin', address);
    expect(probe(t, 'admin', '10.0.0.9')).toBeNull();
    for (let i = 0; i < 3; i++) failOnce(t, 'admin', '10.0.0.1');
    expect(probe(t, 'admin', '10.0.0.1')).toBe(1); // 4 failures from there: the delay starts
    expect(probe(t, 'admin', '10.0.0.9')).toBeNull();
    expect(probe(t, 'admin', null)).toBeNull();
  });

  it('an account over its ceiling is slowed, never refused', async () => {
    const c = clock();
    const t = new LoginThrottle({ accountCeiling: 10, accountWindowMs: 60_000, ceilingDelayMs: 40, now: c.now });
    const slowdown = (address: string) => {
      const attempt = t.begin('admin', address);
      attempt.release();
      return attempt.slowdownMs;
    };
    for (let i = 0; i < 9; i++) failOnce(t, 'admin', `10.1.0.${i}`);
    expect(slowdown('10.2.0.1')).toBe(0);
    failOnce(t, 'admin', '10.1.0.99');
    expect(slowdown('10.2.0.1')).toBe(40);
    const attempt = t.begin('admin', '10.2.0.2'); // not a 429
    const started = performance.now();
    await attempt.pace();
    expect(performance.now() - started).toBeGreaterThanOrEqual(35); // it really waits
    attempt.succeed();
    // The window slides: 1.5 windows later half of the old ones still count (5 < 10).
    c.advance(90_000);
    expect(slowdown('10.2.0.1')).toBe(0);
  });

  it('bounds its memory', () => {
    const t = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) failOnce(t, `user-${i}`, `10.0.${i >> 8}.${i & 255}`);
    const inner = t as unknown as Record<'pairs' | 'accounts' | 'addresses', Map<string, unknown>>;
    expect(inner.pairs.size).toBe(100);
    expect(inner.accounts.size).toBe(100);
    expect(inner.addresses.size).toBe(100);
  });
});
