import { describe, expect, it } from 'vitest';
import { Backoff, DEFAULT_BACKOFF } from './backoff.js';

const UNSTABLE = 1000; // uptime of a process that crashed soon after starting

describe('Backoff (100 ms ×1.5, capped at 15 s, reset after 30 s stable, give up after 10)', () => {
  it('grows by half each unstable crash, from 100 ms', () => {
    const b = new Backoff();
    expect([1, 2, 3, 4, 5].map(() => b.nextDelay(UNSTABLE))).toEqual([100, 150, 225, 338, 506]);
    expect(b.unstableRestarts).toBe(5);
  });

  it('never waits more than 15 s', () => {
    const b = new Backoff({ ...DEFAULT_BACKOFF, maxUnstableRestarts: 100 });
    const delays = Array.from({ length: 30 }, () => b.nextDelay(UNSTABLE)!);
    expect(Math.max(...delays)).toBe(15_000);
    expect(delays[12]).toBe(12_975); // 100 × 1.5^12, the last step below the cap
    expect(delays.indexOf(15_000)).toBe(13);
    expect(delays.slice(13).every((d) => d === 15_000)).toBe(true);
    expect(delays.slice(0, 13)).toEqual([...delays.slice(0, 13)].sort((x, y) => x - y));
  });

  it('gives up (null) on the 11th crash in a row', () => {
    const b = new Backoff();
    const delays = Array.from({ length: 11 }, () => b.nextDelay(UNSTABLE));
    expect(delays.slice(0, 10).every((d) => typeof d === 'number' && d > 0)).toBe(true);
    expect(delays[10]).toBeNull();
    expect(b.unstableRestarts).toBe(10);
    expect(b.nextDelay(UNSTABLE)).toBeNull(); // and stays given up
  });

  it('starts over after 30 s of stable uptime, not before', () => {
    const b = new Backoff();
    for (let i = 0; i < 9; i++) b.nextDelay(UNSTABLE);
    expect(b.nextDelay(29_999)).toBe(Math.round(100 * 1.5 ** 9)); // just short of stable: keeps climbing
    expect(b.nextDelay(30_000)).toBe(100); // stable: the 11th crash is a first crash again
    expect(b.unstableRestarts).toBe(1);
  });

  it('reset() forgets the unstable crashes', () => {
    const b = new Backoff();
    for (let i = 0; i < 10; i++) b.nextDelay(UNSTABLE);
    b.reset();
    expect(b.nextDelay(UNSTABLE)).toBe(100);
  });
});
