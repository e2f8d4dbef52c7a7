import RedisMock from 'ioredis-mock';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PendingStore } from './pending-store.js';
import { Throttler, type Emission } from './throttler.js';

// the throttler's code API, in-process; the HTTP API and real clients are in ../throttler.test.ts
let redis: Redis;
let prefix: string;
let emitted: Emission[];
let flushes: Array<[number, string]>;
let t: Throttler;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seats = (room: string, n: number): Emission => ({
  namespace: '/courses',
  event: 'course:seats',
  room,
  data: { n },
});

beforeEach(() => {
  // each test its own key space: ioredis-mock instances share data per host
  prefix = `t${Math.random()}:`;
  redis = new (RedisMock as unknown as typeof Redis)({ keyPrefix: prefix });
  emitted = [];
  flushes = [];
  t = new Throttler(
    new PendingStore(redis, prefix),
    (e) => emitted.push(e),
    {
      defaultWindowMs: 40,
      flushIntervalMs: 60_000,
      events: { 'course:seats': { windowMs: 40, mode: 'latest' }, 'course:stats': { windowMs: 40, mode: 'merge' } },
    },
    (n, reason) => flushes.push([n, reason]),
  );
});
afterEach(async () => {
  await t.close();
  redis.disconnect();
});

describe('Throttler', () => {
  it('emits once per window per key, with the latest payload', async () => {
    expect(t.submit(seats('course:1', 1))).toBe('queued');
    expect(t.submit(seats('course:1', 2))).toBe('coalesced');
    expect(t.submit(seats('course:2', 9))).toBe('queued');
    expect(t.submit(seats('course:1', 3))).toBe('coalesced');
    expect(emitted).toHaveLength(0);
    await sleep(80);
    expect(emitted.map((e) => [e.room, e.data])).toEqual([
      ['course:1', { n: 3 }],
      ['course:2', { n: 9 }],
    ]);
    expect(await t.pendingCount()).toBe(0);
  });

  it('merge mode folds object payloads', async () => {
    t.submit({ namespace: '/courses', event: 'course:stats', room: null, data: { a: 1 } });
    t.submit({ namespace: '/courses', event: 'course:stats', room: null, data: { b: 2 } });
    await sleep(80);
    expect(emitted.map((e) => e.data)).toEqual([{ a: 1, b: 2 }]);
  });

  it('events without a rule go out at once; throttle:false bypasses a rule, throttle:true applies the default', async () => {
    expect(t.submit({ namespace: '/', event: 'chat:message', room: 'user:1', data: 1 })).toBe('emitted');
    expect(t.submit(seats('course:1', 1), false)).toBe('emitted');
    expect(emitted).toHaveLength(2);
    expect(t.submit({ namespace: '/', event: 'chat:message', room: 'user:1', data: 2 }, true)).toBe('queued');
    await sleep(80);
    expect(emitted).toHaveLength(3);
  });

  it('lists pending events with their fold count, flushes them all and reports the flush', async () => {
    t.setConfig({ events: { 'course:seats': { windowMs: 10_000, mode: 'latest' } } });
    t.submit(seats('course:1', 1));
    t.submit(seats('course:1', 2));
    t.submit(seats('course:2', 5));
    const list = await t.pendingList();
    expect(await t.pendingCount()).toBe(2);
    expect(list.map((p) => [p.room, p.count, p.data])).toEqual([
      ['course:1', 2, { n: 2 }],
      ['course:2', 1, { n: 5 }],
    ]);
    expect(await t.flushAll()).toBe(2);
    expect(emitted.map((e) => e.data)).toEqual([{ n: 2 }, { n: 5 }]);
    expect(flushes).toEqual([[2, 'manual']]);
    expect(await t.pendingCount()).toBe(0);
  });

  it('force-emit goes out at once and replaces the pending event for its key', async () => {
    t.setConfig({ events: { 'course:seats': { windowMs: 10_000, mode: 'latest' } } });
    t.submit(seats('course:1', 1));
    expect(await t.forceEmit(seats('course:1', 99))).toEqual({ replacedPending: true });
    expect(emitted.map((e) => e.data)).toEqual([{ n: 99 }]);
    expect(await t.pendingCount()).toBe(0);
    expect(await t.forceEmit(seats('course:3', 1))).toEqual({ replacedPending: false });
  });

  it('the periodic flush picks up entries left in the store by an instance that died', async () => {
    await new PendingStore(redis, prefix).put(PendingStore.key('/courses', 'course:seats', 'course:7'), {
      namespace: '/courses',
      event: 'course:seats',
      room: 'course:7',
      data: { n: 7 },
      count: 3,
      firstAt: Date.now() - 60_000,
      dueAt: Date.now() - 59_000,
    });
    t.setConfig({ flushIntervalMs: 1000 });
    t.startPeriodicFlush();
    await sleep(1200);
    expect(emitted.map((e) => e.data)).toEqual([{ n: 7 }]);
    expect(flushes).toContainEqual([1, 'periodic']);
  });

  it('get/set config: rules are added, replaced and removed; the rest is kept', () => {
    const next = t.setConfig({
      defaultWindowMs: 100,
      events: { 'x:y': { windowMs: 5, mode: 'latest' }, 'course:stats': null },
    });
    expect(next.defaultWindowMs).toBe(100);
    expect(next.flushIntervalMs).toBe(60_000);
    expect(Object.keys(next.events).sort()).toEqual(['course:seats', 'x:y']);
    next.events['course:seats']!.windowMs = 1; // a copy: changing it does not change the throttler
    expect(t.getConfig().events['course:seats']!.windowMs).toBe(40);
  });

  it('close() emits what is still pending, so a shutdown loses nothing', async () => {
    t.setConfig({ events: { 'course:seats': { windowMs: 10_000, mode: 'latest' } } });
    t.submit(seats('course:1', 4));
    expect(await t.close()).toBe(1);
    expect(emitted.map((e) => e.data)).toEqual([{ n: 4 }]);
    expect(t.submit(seats('course:1', 5))).toBe('emitted');
  });
});
