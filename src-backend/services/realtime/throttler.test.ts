import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { type InternalEvent } from '../../contracts/realtime-internal.js';
import { type AdminEvent, type CourseSeatsEvent, type PendingResponse } from '../../contracts/realtime.js';
import type { TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import {
  ask,
  collect,
  connect,
  next,
  seedUsers,
  sleep,
  startRealtimeStack,
  type SeededUser,
} from './testing/rt-harness.js';
import { RealtimeRoutes } from '../../contracts/routes/realtime.js';
import { THROTTLER_PATHS } from '../../contracts/routes/realtime.js';

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 30_000 });

let stack: TestStack;
let url: string;
let admin: SeededUser;
let student: SeededUser;
const open: Socket[] = [];
const track = (s: Socket) => (open.push(s), s);
let courseSeq = 100;

const seats = (courseId: number, enrolled: number): InternalEvent => ({
  event: 'course:seats',
  room: `course:${courseId}`,
  data: { courseId, enrolled, capacity: 100_000, seatsLeft: 100_000 - enrolled },
});
const emit = (events: InternalEvent[]) => stack.client.call(RealtimeRoutes.emit, { body: { events } });

async function watcher(courseIds: number[]): Promise<Socket> {
  const s = track(await connect(url, '/courses', student.token));
  await ask(s, 'course:watch', { courseIds });
  return s;
}

beforeAll(async () => {
  // a long periodic flush so only the tests trigger flushes
  stack = await startRealtimeStack({ env: { REALTIME_FLUSH_INTERVAL_MS: '600000' } });
  url = stack.httpUrl('realtime');
  [admin, student] = await seedUsers(stack, [{ role: 'admin' }, { role: 'student' }]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, HOOK_TIMEOUT_MS);
beforeEach(() => {
  courseSeq += 1;
});

describe('coalescing in the throttler', () => {
  it('1,000 seat changes inside one window reach the client as exactly one emit with the latest count', async () => {
    const id = courseSeq;
    const s = await watcher([id]);
    const got = collect<CourseSeatsEvent>(s, 'course:seats');
    const res = await emit(Array.from({ length: 1000 }, (_, i) => seats(id, i + 1)));
    expect(res).toEqual({ accepted: 1000, ignored: 0 });
    await waitFor(() => got.length >= 1, 2000);
    await sleep(400); // a second window passes: nothing else may arrive
    expect(got).toEqual([{ courseId: id, enrolled: 1000, capacity: 100_000, seatsLeft: 99_000 }]);
    const stats = await stack.client.call(RealtimeRoutes.stats);
    expect(stats.events['course:seats']!.coalesced).toBeGreaterThanOrEqual(999);
  });

  it('keys are (namespace, event, room): two courses in one burst give one emit each', async () => {
    const a = courseSeq;
    const b = courseSeq + 1000;
    const s = await watcher([a, b]);
    const got = collect<CourseSeatsEvent>(s, 'course:seats');
    await emit([seats(a, 1), seats(b, 1), seats(a, 2), seats(b, 2), seats(a, 3)]);
    await sleep(600);
    expect(got.sort((x, y) => x.courseId - y.courseId).map((e) => [e.courseId, e.enrolled])).toEqual([
      [a, 3],
      [b, 2],
    ]);
  });

  it('a rush of 10,000 changes a second for one course reaches clients as at most 4-5 emits a second, latest count last', async () => {
    const id = courseSeq;
    const s = await watcher([id]);
    const got: Array<{ at: number; e: CourseSeatsEvent }> = [];
    s.on('course:seats', (e: CourseSeatsEvent) => got.push({ at: Date.now(), e }));
    let n = 0;
    const started = Date.now();
    // 2 s at 10,000/s, in 20 batches of 1,000 every 100 ms (as the publisher batches them)
    for (let tick = 0; tick < 20; tick++) {
      const batch = Array.from({ length: 1000 }, () => seats(id, ++n));
      await emit(batch);
      const wait = started + (tick + 1) * 100 - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const elapsed = (Date.now() - started) / 1000;
    await sleep(500);
    expect(n).toBe(20_000);
    // the target is the ceiling (4/s with a 250 ms window); the floor only shows it kept emitting
    expect(got.length).toBeGreaterThanOrEqual(3);
    expect(got.length).toBeLessThanOrEqual(Math.ceil(elapsed * 4) + 1);
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.e.enrolled).toBeGreaterThan(got[i - 1]!.e.enrolled); // always newer
      expect(got[i]!.at - got[i - 1]!.at).toBeGreaterThanOrEqual(150); // never two in one window
    }
    expect(got.at(-1)!.e.enrolled).toBe(20_000);
  });

  it('events without a rule (selection:outcome) are not throttled and go to the user room only', async () => {
    const s = track(await connect(url, '/courses', student.token));
    const [other] = await seedUsers(stack, [{ role: 'student' }]);
    const o = track(await connect(url, '/courses', other!.token));
    const mine = collect(s, 'selection:outcome');
    const theirs = collect(o, 'selection:outcome');
    await emit(
      Array.from({ length: 5 }, (_, i) => ({
        event: 'selection:outcome',
        room: `user:${student.id}`,
        data: { ticket: `t${i}`, courseId: 1, action: 'select', status: 'accepted' },
      })),
    );
    await waitFor(() => mine.length === 5, 2000);
    await sleep(100);
    expect(mine.map((e) => (e as { ticket: string }).ticket)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(theirs).toHaveLength(0);
  });

  it('ignores events that map to no namespace and refuses malformed batches', async () => {
    expect(
      await emit([
        { event: 'nobody:listens', data: 1 },
        { event: 'x', data: 1, namespace: '/nowhere' },
      ]),
    ).toEqual({ accepted: 0, ignored: 2 });
    const bad = await stack.client.request('POST', 'realtime', RealtimeRoutes.emit.url, {
      events: [{ event: '', data: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    const none = await stack.client.request('POST', 'realtime', RealtimeRoutes.emit.url, { events: [] });
    expect(none.statusCode).toBe(400);
    const noToken = await fetch(`${url}${RealtimeRoutes.emit.url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [seats(1, 1)] }),
    });
    expect(noToken.status).toBe(401);
  });
});

describe('management API', () => {
  const staff = () => ({ authorization: `Bearer ${admin.token}` });

  it('lists pending events, flushes them all at once and announces the flush on /admin', async () => {
    await stack.client.call(RealtimeRoutes.setConfig, {
      body: {
        events: { 'course:seats': { windowMs: 30_000, mode: 'latest' } },
      },
    });
    try {
      const a = courseSeq;
      const b = courseSeq + 1000;
      const s = await watcher([a, b]);
      const got = collect<CourseSeatsEvent>(s, 'course:seats');
      const adm = track(await connect(url, '/admin', admin.token));
      const flushEvent = next<AdminEvent>(adm, 'admin_event');
      await emit([seats(a, 1), seats(a, 2), seats(b, 7)]);
      const pending = (await (
        await fetch(`${url}${THROTTLER_PATHS.pending}`, { headers: staff() })
      ).json()) as PendingResponse;
      expect(pending.count).toBe(2);
      const forA = pending.events.find((e) => e.room === `course:${a}`)!;
      expect(forA).toMatchObject({ namespace: '/courses', event: 'course:seats', count: 2, data: { enrolled: 2 } });
      await sleep(200);
      expect(got).toHaveLength(0); // the 30 s window holds them

      const flushed = await fetch(`${url}${THROTTLER_PATHS.flush}`, {
        method: 'POST',
        headers: { ...staff(), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await flushed.json()).toEqual({ flushed: 2 });
      await waitFor(() => got.length === 2, 2000);
      expect(await flushEvent).toEqual({ type: 'throttler_flush', data: { flushed: 2, reason: 'manual' } });
      expect((await stack.client.call(RealtimeRoutes.pending)).count).toBe(0);
    } finally {
      await stack.client.call(RealtimeRoutes.setConfig, {
        body: {
          events: { 'course:seats': { windowMs: 250, mode: 'latest' } },
        },
      });
    }
  });

  it('force-emit delivers at once, bypassing the throttle, and replaces what was pending', async () => {
    await stack.client.call(RealtimeRoutes.setConfig, {
      body: {
        events: { 'course:seats': { windowMs: 30_000, mode: 'latest' } },
      },
    });
    try {
      const id = courseSeq;
      const s = await watcher([id]);
      const got = collect<CourseSeatsEvent>(s, 'course:seats');
      await emit([seats(id, 1)]);
      const res = await stack.client.call(RealtimeRoutes.forceEmit, {
        body: {
          event: 'course:seats',
          room: `course:${id}`,
          data: { courseId: id, enrolled: 42, capacity: 1, seatsLeft: 0 },
        },
      });
      expect(res).toEqual({ success: true, namespaces: ['/courses'], replacedPending: true });
      await waitFor(() => got.length === 1, 1000);
      expect(got[0]!.enrolled).toBe(42);
      expect((await stack.client.call(RealtimeRoutes.pending)).count).toBe(0);
      const unknown = await stack.client.request('POST', 'realtime', THROTTLER_PATHS.forceEmit, {
        event: 'nobody:listens',
        data: 1,
      });
      expect(unknown.statusCode).toBe(400);
    } finally {
      await stack.client.call(RealtimeRoutes.setConfig, {
        body: {
          events: { 'course:seats': { windowMs: 250, mode: 'latest' } },
        },
      });
    }
  });

  it('gets and sets the config: a per-event window and merge mode', async () => {
    const cfg = await stack.client.call(RealtimeRoutes.config);
    expect(cfg).toMatchObject({
      defaultWindowMs: 250,
      flushIntervalMs: 600_000,
      events: { 'course:seats': { windowMs: 250, mode: 'latest' } },
    });
    const set = await stack.client.call(RealtimeRoutes.setConfig, {
      body: {
        events: { 'course:stats': { windowMs: 100, mode: 'merge' } },
      },
    });
    expect(set.events['course:stats']).toEqual({ windowMs: 100, mode: 'merge' });
    const s = track(await connect(url, '/courses', student.token));
    const got = collect(s, 'course:stats');
    await emit([
      { event: 'course:stats', data: { a: 1 } },
      { event: 'course:stats', data: { b: 2 } },
      { event: 'course:stats', data: { a: 3 } },
    ]);
    await waitFor(() => got.length === 1, 1000);
    await sleep(200);
    expect(got).toEqual([{ a: 3, b: 2 }]);
    const removed = await stack.client.call(RealtimeRoutes.setConfig, {
      body: {
        events: { 'course:stats': null },
      },
    });
    expect(removed.events['course:stats']).toBeUndefined();
    const bad = await stack.client.request('PUT', 'realtime', THROTTLER_PATHS.config, {
      events: { x: { windowMs: -1, mode: 'latest' } },
    });
    expect(bad.statusCode).toBe(400);
    const student403 = await fetch(`${url}${THROTTLER_PATHS.config}`, {
      headers: { authorization: `Bearer ${student.token}` },
    });
    expect(student403.status).toBe(403);
  });

  it('the periodic flush emits what is pending even when no window would close', async () => {
    await stack.client.call(RealtimeRoutes.setConfig, {
      body: {
        events: { 'course:seats': { windowMs: 60_000, mode: 'latest' } },
        flushIntervalMs: 1000,
      },
    });
    try {
      const id = courseSeq;
      const s = await watcher([id]);
      const got = collect<CourseSeatsEvent>(s, 'course:seats');
      await emit([seats(id, 5), seats(id, 6)]);
      await waitFor(() => got.length === 1, 3000);
      expect(got[0]!.enrolled).toBe(6);
    } finally {
      await stack.client.call(RealtimeRoutes.setConfig, {
        body: {
          events: { 'course:seats': { windowMs: 250, mode: 'latest' } },
          flushIntervalMs: 600_000,
        },
      });
    }
  });
});
