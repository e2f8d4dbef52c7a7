import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ADMIN_EVENT } from '../../contracts/realtime-internal.js';
import type { AdminEvent, LogEvent } from '../../contracts/realtime.js';
import type { LogRecord } from '../../contracts/supervisor.js';
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
import { createRealtimePublisher } from '../../shared/realtime-publisher.js';

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 30_000 });

let stack: TestStack;
let url: string;
let admin: SeededUser;
let student: SeededUser;
const open: Socket[] = [];
const track = (s: Socket) => (open.push(s), s);
let seq = 1_000_000;

const line = (service: string, level: LogRecord['level'], msg: string): LogRecord => ({
  seq: ++seq,
  time: new Date().toISOString(),
  level,
  service,
  msg,
});
const pushLogs = (lines: LogRecord[]) => stack.client.call(RealtimeRoutes.logs, { body: { lines } });

beforeAll(async () => {
  stack = await startRealtimeStack();
  url = stack.httpUrl('realtime');
  [admin, student] = await seedUsers(stack, [{ role: 'admin' }, { role: 'student' }]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

describe('/logs', () => {
  it('streams posted lines as `log` events {text, level, service, timestamp}', async () => {
    const s = track(await connect(url, '/logs', admin.token));
    const got = next<LogEvent>(s, 'log');
    await pushLogs([line('queue_node', 'warn', 'queue is long')]);
    const e = await got;
    expect(e).toMatchObject({ text: 'queue is long', level: 'warn', service: 'queue_node' });
    expect(Date.parse(e.timestamp)).toBeGreaterThan(0);
  });

  it('the supervisor fan-in reaches /logs: real child log lines arrive', async () => {
    const s = track(await connect(url, '/logs', admin.token));
    const fromData = collect<LogEvent>(s, 'log');
    // restarting data_node makes it log its start-up line, which the supervisor forwards
    await stack.supervisor.restart('data_node');
    await waitFor(() => fromData.some((e) => e.service === 'data_node' && /listening/.test(e.text)), 5000);
  });

  it('a joining client asks for a backlog of the last N lines, by service and minimum level', async () => {
    await pushLogs([
      line('auth_node', 'info', 'b-1'),
      line('auth_node', 'error', 'b-2'),
      line('teacher_node', 'error', 'b-3'),
      line('auth_node', 'debug', 'b-4'),
      line('auth_node', 'warn', 'b-5'),
    ]);
    const s = track(await connect(url, '/logs', admin.token));
    const all = await ask<{ success: boolean; lines: LogEvent[] }>(s, 'logs:backlog', { limit: 3 });
    expect(all.lines.map((l) => l.text)).toEqual(['b-3', 'b-4', 'b-5']);
    const auth = await ask<{ lines: LogEvent[] }>(s, 'logs:backlog', {
      limit: 10,
      service: 'auth_node',
      level: 'warn',
    });
    expect(auth.lines.map((l) => l.text).filter((t) => t.startsWith('b-'))).toEqual(['b-2', 'b-5']);
    expect(
      auth.lines.every(
        (l) => l.service === 'auth_node' && (l.level === 'warn' || l.level === 'error' || l.level === 'fatal'),
      ),
    ).toBe(true);
    expect((await ask<{ success: boolean }>(s, 'logs:backlog', { level: 'loud' })).success).toBe(false);
  });

  it('logs:filter narrows the live stream of one socket', async () => {
    const s = track(await connect(url, '/logs', admin.token));
    const everything = track(await connect(url, '/logs', admin.token));
    expect(await ask(s, 'logs:filter', { service: 'student_node', level: 'error' })).toEqual({ success: true });
    const got = collect<LogEvent>(s, 'log');
    const all = collect<LogEvent>(everything, 'log');
    await pushLogs([
      line('student_node', 'info', 'f-1'),
      line('student_node', 'error', 'f-2'),
      line('teacher_node', 'error', 'f-3'),
      line('student_node', 'fatal', 'f-4'),
    ]);
    await waitFor(() => all.filter((e) => e.text.startsWith('f-')).length === 4, 2000);
    await sleep(50);
    expect(got.map((e) => e.text)).toEqual(['f-2', 'f-4']);
    await ask(s, 'logs:filter', {});
    await pushLogs([line('teacher_node', 'info', 'f-5')]);
    await waitFor(() => got.some((e) => e.text === 'f-5'), 2000);
  });
});

describe('/admin', () => {
  it('carries admin_event {type, data} published through the internal API', async () => {
    const s = track(await connect(url, '/admin', admin.token));
    const got = next<AdminEvent>(s, ADMIN_EVENT);
    await stack.client.call(RealtimeRoutes.emit, {
      body: {
        events: [{ event: ADMIN_EVENT, data: { type: 'user_created', data: { id: 7 } } }],
      },
    });
    expect(await got).toEqual({ type: 'user_created', data: { id: 7 } });
  });

  it('events published by a service arrive in the order they were published', async () => {
    const s = track(await connect(url, '/admin', admin.token));
    const got = collect<AdminEvent>(s, ADMIN_EVENT);
    const publisher = createRealtimePublisher(stack.client, undefined, { batchMs: 0 });
    // many small batches, each sent while earlier ones may still be out
    for (let burst = 0; burst < 40; burst++) {
      for (let i = 1; i <= 50; i++) publisher.adminEvent('bulk_progress', { done: burst * 50 + i });
      await sleep(1);
    }
    await publisher.flush();
    await waitFor(() => got.filter((e) => e.type === 'bulk_progress').length === 2000, 10_000);
    const done = got.filter((e) => e.type === 'bulk_progress').map((e) => (e.data as { done: number }).done);
    expect(done).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
  });

  it('process state changes from the supervisor arrive without anyone polling', async () => {
    const s = track(await connect(url, '/admin', admin.token));
    const got = collect<AdminEvent>(s, ADMIN_EVENT);
    await stack.supervisor.restart('auth_node');
    // the supervisor publishes each status change of a child as admin_event `process_state`
    await waitFor(
      () =>
        got.some(
          (e) =>
            e.type === 'process_state' &&
            (e.data as { name: string; state: string }).name === 'auth_node' &&
            (e.data as { state: string }).state === 'running',
        ),
      5000,
    );
    expect(got.some((e) => e.type === 'process_state' && (e.data as { state: string }).state !== 'running')).toBe(true);
  });
});

describe('/admin: a crash is reported', () => {
  it('a supervised child killed with SIGKILL: admin_event process_restart, then it runs again', async () => {
    const s = track(await connect(url, '/admin', admin.token));
    const got = collect<AdminEvent>(s, ADMIN_EVENT);
    const victim = stack.pid('auth_node');
    process.kill(victim, 'SIGKILL');
    type Crash = { name: string; exit: { code: number | null; signal: string | null }; restartInMs: number | null };
    const crash = () => got.find((e) => e.type === 'process_restart' && (e.data as Crash).name === 'auth_node');
    await waitFor(() => crash() !== undefined, 10_000);
    expect(crash()!.data).toMatchObject({
      name: 'auth_node',
      exit: { signal: 'SIGKILL' },
      restartInMs: expect.any(Number),
    });
    const crashAt = got.indexOf(crash()!);
    const runningAgain = () =>
      got
        .slice(crashAt)
        .some(
          (e) =>
            e.type === 'process_state' &&
            (e.data as { name: string; state: string }).name === 'auth_node' &&
            (e.data as { state: string }).state === 'running',
        );
    await waitFor(runningAgain, 20_000);
    expect(stack.pid('auth_node')).not.toBe(victim);
  });
});

describe('/courses', () => {
  it('course:watch joins course rooms; seat counts go only to watchers; outcomes only to their student', async () => {
    const w = track(await connect(url, '/courses', student.token));
    const idle = track(await connect(url, '/courses', admin.token));
    expect(await ask(w, 'course:watch', { courseIds: [5, 6] })).toEqual({
      success: true,
      rooms: ['course:5', 'course:6'],
    });
    const seatsW = collect(w, 'course:seats');
    const seatsIdle = collect(idle, 'course:seats');
    const outcome = next(w, 'selection:outcome');
    await stack.client.call(RealtimeRoutes.emit, {
      body: {
        events: [
          { event: 'course:seats', room: 'course:5', data: { courseId: 5, enrolled: 1, capacity: 2, seatsLeft: 1 } },
          {
            event: 'selection:outcome',
            room: `user:${student.id}`,
            data: { ticket: 'T1', courseId: 5, action: 'select', status: 'accepted' },
          },
        ],
      },
    });
    expect(await outcome).toEqual({ ticket: 'T1', courseId: 5, action: 'select', status: 'accepted' });
    await waitFor(() => seatsW.length === 1, 2000);
    expect(seatsIdle).toHaveLength(0);
    expect(await ask(w, 'course:unwatch', { courseIds: [5] })).toEqual({ success: true, rooms: ['course:5'] });
    await stack.client.call(RealtimeRoutes.emit, {
      body: {
        events: [
          { event: 'course:seats', room: 'course:5', data: { courseId: 5, enrolled: 2, capacity: 2, seatsLeft: 0 } },
        ],
      },
    });
    await sleep(500);
    expect(seatsW).toHaveLength(1);
    expect((await ask<{ success: boolean }>(w, 'course:watch', { courseIds: ['x'] })).success).toBe(false);
  });

  it('a socket watches at most 500 courses (REALTIME_MAX_WATCHED_COURSES): beyond that a clear error', async () => {
    const w = track(await connect(url, '/courses', student.token));
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    expect((await ask<{ rooms: string[] }>(w, 'course:watch', { courseIds: ids(10_000, 500) })).rooms).toHaveLength(
      500,
    );
    // watching one already watched costs nothing
    expect((await ask<{ success: boolean }>(w, 'course:watch', { courseIds: [10_000] })).success).toBe(true);
    expect(await ask(w, 'course:watch', { courseIds: [20_000] })).toEqual({
      success: false,
      error: 'at most 500 watched courses per connection; course:unwatch some first',
    });
    await ask(w, 'course:unwatch', { courseIds: [10_000] });
    expect(await ask(w, 'course:watch', { courseIds: [20_000] })).toEqual({ success: true, rooms: ['course:20000'] });
    expect(w.connected).toBe(true);
  });
});

describe('/health and /stats', () => {
  it('/health keeps its documented shape, counting /logs and /admin', async () => {
    const l = track(await connect(url, '/logs', admin.token));
    const a = track(await connect(url, '/admin', admin.token));
    const body = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['connections', 'port', 'service', 'status']);
    expect(body).toMatchObject({ status: 'healthy', service: 'socketio', port: stack.config.ports.realtime });
    const c = body.connections as Record<string, number>;
    expect(Object.keys(c).sort()).toEqual(['admin_connections', 'log_connections', 'total_connections']);
    expect(c.log_connections).toBeGreaterThanOrEqual(1);
    expect(c.admin_connections).toBeGreaterThanOrEqual(1);
    expect(c.total_connections).toBeGreaterThanOrEqual(c.log_connections! + c.admin_connections!);
    l.close();
    a.close();
  });

  it('/stats has connections per namespace, events per type, rooms and uptime', async () => {
    const s = track(await connect(url, '/courses', student.token));
    await ask(s, 'course:watch', { courseIds: [77] });
    const stats = (await (
      await fetch(`${url}/stats`, { headers: { 'x-internal-token': stack.env.INTERNAL_TOKEN! } })
    ).json()) as Record<string, unknown> & {
      connections: Record<string, number>;
      events: Record<string, unknown>;
    };
    expect(stats.connections['/courses']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stats.connections).sort()).toEqual([
      '/',
      '/admin',
      '/chat',
      '/courses',
      '/logs',
      '/notification',
    ]);
    expect(stats.rooms).toBeGreaterThanOrEqual(1);
    expect(stats.uptime).toBeGreaterThan(0);
    expect(stats.events['course:seats']).toMatchObject({
      received: expect.any(Number),
      emitted: expect.any(Number),
      coalesced: expect.any(Number),
    });
  });
});
