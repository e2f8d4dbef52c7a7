import RedisMock from 'ioredis-mock';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventManager } from './event-manager.js';
import { PendingStore } from './pending-store.js';
import { Throttler } from './throttler.js';

// The counters /stats shows, with a real Socket.IO server (no clients needed to emit) and the real throttler.
let io: Server;
let redis: Redis;
let events: EventManager;

beforeEach(() => {
  io = new Server();
  const prefix = `em${Math.random()}:`;
  redis = new (RedisMock as unknown as typeof Redis)({ keyPrefix: prefix });
  events = new EventManager(io);
  events.throttler = new Throttler(new PendingStore(redis, prefix), events.emitNow, {
    defaultWindowMs: 50,
    flushIntervalMs: 60_000,
    events: { 'course:seats': { windowMs: 50, mode: 'latest' } },
  });
});
afterEach(async () => {
  await events.throttler.close();
  redis.disconnect();
});

const seats = (enrolled: number) => ({ courseId: 1, enrolled, capacity: 10, seatsLeft: 10 - enrolled });
const invariant = (c: { received: number; emitted: number; coalesced: number }) =>
  expect(c.emitted + c.coalesced).toBeLessThanOrEqual(c.received);

describe('EventManager counters', () => {
  it('count an event for several namespaces once per namespace, so emitted never exceeds received', () => {
    // user:* goes to /, /chat and /notification: three deliveries.
    events.publish({
      event: 'user:online',
      data: { userId: 1, timestamp: new Date(0).toISOString() },
      room: 'user:1',
      throttle: false,
    });
    const c = events.stats()['user:online']!;
    expect(c).toEqual({ received: 3, emitted: 3, coalesced: 0 });
  });

  it('count a force-emit that replaces a pending event as one coalesced, not an extra emit', async () => {
    events.publish({ event: 'course:seats', data: seats(1), room: 'course:1' });
    events.publish({ event: 'course:seats', data: seats(2), room: 'course:1' });
    await events.forceEmit({ event: 'course:seats', data: seats(3), room: 'course:1' });
    const c = events.stats()['course:seats']!;
    expect(c).toEqual({ received: 3, emitted: 1, coalesced: 2 });
    invariant(c);
  });
});
