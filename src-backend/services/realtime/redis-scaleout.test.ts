import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { type Notification, type PendingResponse, type RealtimeStats } from '../../contracts/realtime.js';
import type { ChildMessage } from '../../contracts/supervisor.js';
import { freePort } from '../../testing/ports.js';
import { builtEntryDir, type TestStack } from '../../testing/stack.js';
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

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 30_000 });
import { redisServerAvailable, REDIS_SERVER_BIN, startRedisServer, type RedisProcess } from './testing/redis-server.js';
import { RealtimeRoutes } from '../../contracts/routes/realtime.js';
import { THROTTLER_PATHS } from '../../contracts/routes/realtime.js';

const available = redisServerAvailable();
if (!available)
  console.warn(
    `skipping the Redis scale-out tests: ${REDIS_SERVER_BIN} is not installed (apt-get install redis-server)`,
  );

// CI installs redis-server (.ci/run): there, a missing binary is a failure, not a silent skip
describe.runIf(Boolean(process.env.CI))('in CI', () => {
  it('redis-server is installed, so the scale-out tests below really ran', () => {
    expect(available, `${REDIS_SERVER_BIN} is missing; .ci/run installs redis-server`).toBe(true);
  });
});

let redis: RedisProcess;
let stack: TestStack;
let second: ChildProcess;
let urlA: string;
let urlB: string;
let s1: SeededUser;
let s2: SeededUser;
const open: Socket[] = [];
const track = (s: Socket) => (open.push(s), s);

/** A second realtime process beside the stack's: same data/auth services, same Redis, its own port. */
async function startSecondInstance(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = fork(path.join(builtEntryDir(), 'realtime.js'), [], {
    // HTTP only: the stack's instance owns realtime.sock in this SOCKET_DIR
    env: { ...process.env, ...env, USE_SOCKETS: 'false', SOCKETIO_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('second realtime instance did not become ready')), 15_000);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
      if (m.type === 'fatal') {
        clearTimeout(timer);
        reject(new Error(m.message));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`second instance exited with ${code}`));
    });
  });
  return { child, port };
}

describe.skipIf(!available)('two realtime instances sharing a real Redis', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    // a short presence TTL so the dead-instance test below waits seconds, not half a minute
    const env = { REDIS_URL: redis.url, REALTIME_REDIS_PREFIX: `t${process.pid}:`, REALTIME_PRESENCE_TTL_MS: '2000' };
    stack = await startRealtimeStack({ env });
    urlA = stack.httpUrl('realtime');
    const b = await startSecondInstance({ ...stack.env, ...env });
    second = b.child;
    urlB = `http://127.0.0.1:${b.port}`;
    [s1, s2] = await seedUsers(stack, [
      { role: 'student', group: 'g-a' },
      { role: 'student', group: 'g-a' },
    ]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const s of open) s.close();
    // a process killed by a signal has no exit code, only a signalCode
    if (second && second.exitCode === null && second.signalCode === null) {
      const exited = new Promise((r) => second.once('exit', r));
      second.kill('SIGTERM');
      await exited;
    }
    await stack?.stop();
    await redis?.stop();
  }, HOOK_TIMEOUT_MS);

  const post = async (url: string, p: string, body: unknown) => {
    const res = await fetch(`${url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': stack.env.INTERNAL_TOKEN! },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('both instances say they use the Redis adapter', async () => {
    for (const url of [urlA, urlB]) {
      const stats = (await (
        await fetch(`${url}/stats`, { headers: { 'x-internal-token': stack.env.INTERNAL_TOKEN! } })
      ).json()) as RealtimeStats;
      expect(stats.adapter).toBe('redis');
    }
  });

  it('a broadcast sent through one instance reaches clients connected to the other', async () => {
    const onA = track(await connect(urlA, '/', s1.token));
    const onB = track(await connect(urlB, '/notification', s2.token));
    const gotA = next<Notification>(onA, 'notification:new');
    const gotB = next<Notification>(onB, 'notification:new');
    const res = await post(urlB, '/api/broadcast', {
      groupId: 'g-a',
      type: 'notice',
      title: 'via B',
      message: 'hello group',
    });
    expect(res.status).toBe(201);
    expect((await gotA).title).toBe('via B');
    expect((await gotB).title).toBe('via B');
  });

  it('a targeted notification and a server event published on A reach a client on B', async () => {
    const onB = track(await connect(urlB, '/', s1.token));
    const course = track(await connect(urlB, '/courses', s1.token));
    await ask(course, 'course:watch', { courseIds: [31] });
    const note = next<Notification>(onB, 'notification:new');
    const seats = next(course, 'course:seats');
    await post(urlA, '/api/notify', { recipientId: s1.id, type: 'general', title: 'via A', message: 'm' });
    await post(urlA, RealtimeRoutes.emit.url, {
      events: [
        { event: 'course:seats', room: 'course:31', data: { courseId: 31, enrolled: 3, capacity: 9, seatsLeft: 6 } },
      ],
    });
    expect((await note).title).toBe('via A');
    expect(await seats).toEqual({ courseId: 31, enrolled: 3, capacity: 9, seatsLeft: 6 });
  });

  it('chat between users on different instances, and presence both instances agree on', async () => {
    const a = track(await connect(urlA, '/chat', s1.token));
    const b = track(await connect(urlB, '/', s2.token));
    const got = next<{ message: string }>(b, 'chat:message');
    await ask(a, 'chat:send', { receiverId: s2.id, message: 'across instances' });
    expect((await got).message).toBe('across instances');
    for (const url of [urlA, urlB]) {
      const online = (await (
        await fetch(`${url}/api/online-users`, { headers: { 'x-internal-token': stack.env.INTERNAL_TOKEN! } })
      ).json()) as { userIds: number[] };
      expect(online.userIds).toEqual(expect.arrayContaining([s1.id, s2.id]));
    }
  });

  it('a logout handled by one instance disconnects the user on the other', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const onA = track(await connect(urlA, '/', u!.token));
    const gone = next(onA, 'disconnect');
    const res = await post(urlB, RealtimeRoutes.disconnectUser.url, { userId: u!.id, reason: 'logout' });
    expect(res.body.disconnected).toBe(1);
    expect(await gone).toBe('io server disconnect');
  });

  it('a burst of 5,000 seat changes through A reaches a watcher on B as exactly one emit, the latest', async () => {
    const w = track(await connect(urlB, '/courses', s2.token));
    await ask(w, 'course:watch', { courseIds: [51] });
    const got = collect<{ enrolled: number }>(w, 'course:seats');
    const events = Array.from({ length: 5000 }, (_, i) => ({
      event: 'course:seats',
      room: 'course:51',
      data: { courseId: 51, enrolled: i + 1, capacity: 9999, seatsLeft: 9998 - i },
    }));
    const res = await post(urlA, RealtimeRoutes.emit.url, { events });
    expect(res.body).toEqual({ accepted: 5000, ignored: 0 });
    await waitFor(() => got.length >= 1, 3000);
    await sleep(500);
    expect(got).toEqual([{ courseId: 51, enrolled: 5000, capacity: 9999, seatsLeft: 4999 }]);
  });

  it('pending throttled events live in Redis: both instances see them, either can flush them', async () => {
    const put = (url: string, body: unknown) =>
      fetch(`${url}${THROTTLER_PATHS.config}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-internal-token': stack.env.INTERNAL_TOKEN! },
        body: JSON.stringify(body),
      });
    await put(urlA, { events: { 'course:seats': { windowMs: 30_000, mode: 'latest' } } });
    try {
      const w = track(await connect(urlB, '/courses', s2.token));
      await ask(w, 'course:watch', { courseIds: [41] });
      const got = collect<{ enrolled: number }>(w, 'course:seats');
      await post(urlA, RealtimeRoutes.emit.url, {
        events: [41, 42, 43].map((n) => ({
          event: 'course:seats',
          room: 'course:41',
          data: { courseId: 41, enrolled: n, capacity: 50, seatsLeft: 50 - n },
        })),
      });
      // A writes its pending event to Redis after answering (the emit path does not wait for
      // Redis), so B sees the third fold a moment later, not necessarily at once
      const pendingOnB = async () =>
        (
          (await (
            await fetch(`${urlB}${THROTTLER_PATHS.pending}`, {
              headers: { 'x-internal-token': stack.env.INTERNAL_TOKEN! },
            })
          ).json()) as PendingResponse
        ).events.filter((e) => e.room === 'course:41');
      await waitFor(async () => (await pendingOnB())[0]?.count === 3, 2000);
      expect(await pendingOnB()).toMatchObject([{ count: 3, data: { enrolled: 43 } }]);
      const flushed = await post(urlB, THROTTLER_PATHS.flush, {});
      expect(flushed.body.flushed).toBeGreaterThanOrEqual(1);
      await waitFor(() => got.length === 1, 2000);
      expect(got[0]!.enrolled).toBe(43);
      // A's own timer finds nothing left to emit: still exactly one
      await sleep(200);
      expect(got).toHaveLength(1);
    } finally {
      await put(urlA, { events: { 'course:seats': { windowMs: 250, mode: 'latest' } } });
    }
  });
  it('with the Redis adapter a drop is not recovered (no packet offsets), but the client is re-authenticated and rejoins its rooms', async () => {
    const s = track(
      await connect(urlA, '/', s1.token, {
        reconnection: true,
        reconnectionDelay: 300,
        reconnectionDelayMax: 300,
        randomizationFactor: 0,
      }),
    );
    const first = next<Notification>(s, 'notification:new');
    await post(urlB, '/api/notify', { recipientId: s1.id, type: 'general', title: 'before', message: 'm' });
    await first;
    const back = next(s, 'connect', 8000);
    s.io.engine.close();
    await back;
    expect(s.recovered).toBe(false);
    const after = next<Notification>(s, 'notification:new');
    await post(urlB, '/api/notify', { recipientId: s1.id, type: 'general', title: 'after', message: 'm' });
    expect((await after).title).toBe('after');
  });

  // last: it kills the second instance
  it('an instance that dies without cleaning up: its users drop out of presence once its TTL passes', async () => {
    // a teacher watches: a student sees only classmates and chat partners
    const [ghost, teacher] = await seedUsers(stack, [{ role: 'student' }, { role: 'teacher' }]);
    const watcher = track(await connect(urlA, '/', teacher!.token));
    track(await connect(urlB, '/', ghost!.token));
    const online = async () =>
      (
        (await (
          await fetch(`${urlA}/api/online-users`, { headers: { 'x-internal-token': stack.env.INTERNAL_TOKEN! } })
        ).json()) as { userIds: number[] }
      ).userIds;
    // B writes the ghost's presence to Redis just after the connection is accepted: wait for it
    await waitFor(async () => (await online()).includes(ghost!.id), 5000);
    const status = async () =>
      (
        await ask<{ statuses: Record<string, boolean> }>(watcher, 'chat:getOnlineStatus', {
          userIds: [ghost!.id, teacher!.id],
        })
      ).statuses;
    await waitFor(async () => {
      const now = await status();
      return now[ghost!.id] === true && now[teacher!.id] === true;
    }, 5000);
    const exited = new Promise((r) => second.once('exit', r));
    second.kill('SIGKILL');
    await exited;
    await waitFor(async () => !(await online()).includes(ghost!.id), 10_000);
    expect(await status()).toEqual({ [ghost!.id]: false, [teacher!.id]: true });
  });
});
