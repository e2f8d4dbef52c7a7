import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/app-error.js';
import { LoginThrottle } from './throttle.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
function retryAfter(fn: () => void): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).statusCode).toBe(429);
    return ((err as AppError).details as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

describe('LoginThrottle', () => {
  it('lets the free failures through, then delays 1×, 2×, 4× the base, capped', () => {
    const c = clock();
    const t = new LoginThrottle({ freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 3000, now: c.now });
    t.fail('Bob', null);
    t.fail('bob', null);
    expect(retryAfter(() => t.check('BOB', null))).toBeNull();
    const delays: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      t.fail('bob', null);
      delays.push(retryAfter(() => t.check('bob', null)));
      c.advance(5000);
      expect(retryAfter(() => t.check('bob', null))).toBeNull();
    }
    expect(delays).toEqual([1, 2, 3]);
  });

  it('a success forgets the failures; so does a long quiet spell', () => {
    const c = clock();
    const t = new LoginThrottle({ freeFailures: 1, baseDelayMs: 1000, forgetAfterMs: 60_000, now: c.now });
    t.fail('amy', null);
    t.succeed('amy');
    t.fail('amy', null);
    expect(retryAfter(() => t.check('amy', null))).toBeNull();
    c.advance(61_000);
    t.fail('amy', null);
    expect(retryAfter(() => t.check('amy', null))).toBeNull();
  });

  it('caps failures per address across accounts in a sliding window', () => {
    const c = clock();
    const t = new LoginThrottle({ addressLimit: 3, addressWindowMs: 10_000, now: c.now });
    for (const name of ['a', 'b', 'c']) {
      t.fail(name, '10.0.0.1');
      c.advance(1000);
    }
    expect(retryAfter(() => t.check('d', '10.0.0.1'))).toBe(7); // the oldest failure (t=0) leaves the 10 s window 7 s from now (t=3 s)
    expect(retryAfter(() => t.check('d', '10.0.0.2'))).toBeNull();
    c.advance(7001);
    expect(retryAfter(() => t.check('d', '10.0.0.1'))).toBeNull();
  });

  it('bounds its memory', () => {
    const t = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) t.fail(`user-${i}`, `10.0.${i >> 8}.${i & 255}`);
    const inner = t as unknown as { accounts: Map<string, unknown>; addresses: Map<string, unknown> };
    expect(inner.accounts.size).toBe(100);
    expect(inner.addresses.size).toBe(100);
  });
});
