import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Actor, Course } from '../../contracts/courses.js';
import { DataCourseRoutes } from '../../contracts/routes/data-courses.js';
import { RealtimeRoutes } from '../../contracts/routes/realtime.js';
import type { ChatMessage, Notification, PresenceEvent, RealtimeStats } from '../../contracts/realtime.js';
import { createCourse, openSelection } from '../queue/testing/seed.js';
import { waitFor } from '../../testing/wait-for.js';
import { ask, collect, connect, next, realtimeSuite, seedUsers, sleep, type SeededUser } from './testing/rt-harness.js';

// What one user can make the realtime server do, however many sockets they open (README, Security notes).
// Defaults: 20 events/s with bursts of 60 per user, 10 sockets per user and namespace.
vi.setConfig({ testTimeout: 30_000 });

const rt = realtimeSuite();
const track = (s: Socket) => rt.track(s);
let stack: typeof rt.stack;
let url: string;
let admin: SeededUser;
beforeAll(async () => {
  ({ stack, url } = rt);
  [admin] = await seedUsers(stack, [{ role: 'admin' }]);
});

const stats = (): Promise<RealtimeStats> => stack.client.call(RealtimeRoutes.stats);
type Ack = { success: boolean; error?: string };

describe('the rate limit is per user, across all their sockets', () => {
  it('one student with ten /chat sockets flooding one victim gets the rate of one user, the rest refused', async () => {
    const [mallory, victim] = await seedUsers(stack, [{ role: 'student' }, { role: 'student' }]);
    const inbox = track(await connect(url, '/chat', victim!.token));
    const got = collect<ChatMessage>(inbox, 'chat:message');
    const sockets = await Promise.all(Array.from({ length: 10 }, () => connect(url, '/chat', mallory!.token)));
    sockets.forEach(track);
    const started = Date.now();
    // 20 each: under a per-socket burst of 60, so without a per-user bucket nothing is refused
    // (and under the 200 refusals that would cut a socket off)
    const acks = await Promise.all(
      sockets.flatMap((s, i) =>
        Array.from({ length: 20 }, (_, j) =>
          ask<Ack>(s, 'chat:send', { receiverId: victim!.id, message: `flood ${i}.${j}` }),
        ),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const delivered = acks.filter((a) => a.success).length;
    const refused = acks.filter((a) => a.error === 'rate limited').length;
    expect(delivered + refused).toBe(200);
    // one bucket: the burst (less the ten handshakes) plus what refilled meanwhile
    expect(delivered).toBeLessThanOrEqual(60 + Math.ceil(20 * seconds));
    expect(refused).toBeGreaterThanOrEqual(200 - 60 - Math.ceil(20 * seconds));
    await sleep(200);
    expect(got).toHaveLength(delivered);
  });

  it("the issue's flood: 300 /chat sockets sending 3,000 messages to one victim deliver one user's rate", async () => {
    const [mallory, victim] = await seedUsers(stack, [{ role: 'student' }, { role: 'student' }]);
    const inbox = track(await connect(url, '/chat', victim!.token));
    const got = collect<ChatMessage>(inbox, 'chat:message');
    const started = Date.now();
    const tries = await Promise.allSettled(Array.from({ length: 300 }, () => connect(url, '/chat', mallory!.token)));
    const sockets = tries.flatMap((t) => (t.status === 'fulfilled' ? [track(t.value)] : []));
    // handshakes beyond the burst are refused; of those let in, only the newest ten stay
    expect(sockets.length).toBeLessThan(300);
    for (const s of sockets)
      for (let j = 0; j < 3000 / sockets.length; j++) s.emit('chat:send', { receiverId: victim!.id, message: `f${j}` });
    await sleep(1500);
    const seconds = (Date.now() - started) / 1000;
    expect(sockets.filter((s) => s.connected).length).toBeLessThanOrEqual(10);
    expect(got.length).toBeLessThanOrEqual(60 + Math.ceil(20 * seconds));
    expect((await stats()).dropped.rateLimited).toBeGreaterThan(0);
  });

  it('unknown events and oversized payloads spend the same tokens as any event', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const s = track(await connect(url, '/', u!.token));
    // The handshake took one token; 50 unknown events leave 9 or more (the bucket refills) for
    // the oversized ones, so some of those reach the schema. 101 in all against a burst of 60:
    // the refill (20/s) cannot make up the difference in 2 s.
    for (let i = 0; i < 50; i++) s.emit('no:such-event', { i });
    // 5,000 characters: over chat:send's 4,000, refused by the schema, but it still costs a token
    const pending = Array.from({ length: 50 }, () =>
      ask<Ack>(s, 'chat:send', { receiverId: admin.id, message: 'x'.repeat(5000) }),
    );
    // sent behind them, before any answer is awaited: a slow machine's waiting refills nothing
    const heartbeat = ask<Ack>(s, 'heartbeat');
    const oversized = await Promise.all(pending);
    expect(oversized.filter((a) => a.error?.startsWith('invalid payload')).length).toBeGreaterThan(0);
    // 1 + 50 + 50 tokens against 60: only because the unknown events paid are some refused
    expect(oversized.filter((a) => a.error === 'rate limited').length).toBeGreaterThan(0);
    expect(await heartbeat).toEqual({ success: false, error: 'rate limited' });
  });

  it('a handshake costs a token too: reconnecting in a loop is refused with "rate limited"', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const tries = await Promise.allSettled(Array.from({ length: 150 }, () => connect(url, '/courses', u!.token)));
    for (const t of tries) if (t.status === 'fulfilled') t.value.close();
    const refusals = tries.filter((t) => t.status === 'rejected').map((t) => (t.reason as Error).message);
    expect(refusals.filter((m) => m === 'rate limited').length).toBeGreaterThan(0);
  });
});

describe('sockets per user', () => {
  it('an eleventh socket on a namespace disconnects the oldest; other namespaces and users are untouched', async () => {
    const [u, other] = await seedUsers(stack, [{ role: 'student' }, { role: 'student' }]);
    const elsewhere = track(await connect(url, '/courses', u!.token));
    const bystander = track(await connect(url, '/chat', other!.token));
    const before = (await stats()).dropped.socketsOverCap;
    const first = track(await connect(url, '/chat', u!.token));
    const gone = next<string>(first, 'disconnect');
    const rest: Socket[] = [];
    for (let i = 0; i < 10; i++) rest.push(track(await connect(url, '/chat', u!.token)));
    expect(await gone).toBe('io server disconnect');
    await sleep(100);
    expect(rest.every((s) => s.connected)).toBe(true);
    expect(elsewhere.connected && bystander.connected).toBe(true);
    expect((await stats()).dropped.socketsOverCap).toBe(before + 1);
  });
});

describe('payloads nested too deep and unknown events are dropped and counted', () => {
  const nested = (levels: number): unknown => {
    let v: unknown = { leaf: true };
    for (let i = 1; i < levels; i++) v = { v };
    return v;
  };

  it('33 levels is dropped and counted in /stats; 32 levels passes', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const s = track(await connect(url, '/', u!.token));
    const before = (await stats()).dropped.tooDeep;
    expect(await ask<Ack>(s, 'heartbeat', nested(32))).toMatchObject({ success: true });
    expect(await ask<Ack>(s, 'heartbeat', nested(33))).toEqual({
      success: false,
      error: 'payload nested deeper than 32 levels',
    });
    expect(await ask<Ack>(s, 'chat:send', { receiverId: admin.id, message: 'hi', extra: nested(40) })).toEqual({
      success: false,
      error: 'payload nested deeper than 32 levels',
    });
    expect((await stats()).dropped.tooDeep).toBe(before + 2);
    expect(s.connected).toBe(true);
  });

  it("unknown events are counted when a student or teacher sends them, not an admin's", async () => {
    const [student, teacher] = await seedUsers(stack, [{ role: 'student' }, { role: 'teacher' }]);
    const before = (await stats()).dropped.unknownEvent;
    const s = track(await connect(url, '/', student!.token));
    const t = track(await connect(url, '/courses', teacher!.token));
    const a = track(await connect(url, '/admin', admin.token));
    for (let i = 0; i < 5; i++) s.emit('made:up', i);
    for (let i = 0; i < 3; i++) t.emit('also:made-up');
    for (let i = 0; i < 4; i++) a.emit('console:probe');
    // each socket's events are handled in order: an answered heartbeat means the rest were seen
    await Promise.all([ask(s, 'heartbeat'), ask(t, 'heartbeat'), ask(a, 'heartbeat')]);
    expect((await stats()).dropped.unknownEvent).toBe(before + 8);
  });
});

describe('/stats', () => {
  it('needs the internal token or an admin session', async () => {
    const [student] = await seedUsers(stack, [{ role: 'student' }]);
    const get = (headers: Record<string, string> = {}) => fetch(`${url}/stats`, { headers });
    expect((await get()).status).toBe(401);
    expect((await get({ authorization: `Bearer ${student!.token}` })).status).toBe(403);
    const asAdmin = await get({ authorization: `Bearer ${admin.token}` });
    expect(asAdmin.status).toBe(200);
    expect(((await asAdmin.json()) as RealtimeStats).dropped).toEqual({
      rateLimited: expect.any(Number),
      tooDeep: expect.any(Number),
      unknownEvent: expect.any(Number),
      socketsOverCap: expect.any(Number),
    });
    expect((await get({ 'x-internal-token': stack.env.INTERNAL_TOKEN! })).status).toBe(200);
    // /health stays open: the supervisor and load balancers probe it
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});

let courseSeq = 0;
/** A real course taught by `teacher` with `students` enrolled (through data_node's queue transaction). */
async function courseWith(teacher: SeededUser, students: readonly SeededUser[]): Promise<Course> {
  const actor: Actor = { userId: admin.id, role: 'admin' };
  courseSeq += 1;
  const course = await createCourse(stack.client, actor, {
    code: `AB${process.pid % 1000}-${courseSeq}`,
    name: 'Abuse limits',
    capacity: 50,
    credits: 1,
    slots: [],
    teacherId: teacher.id,
  });
  await openSelection(stack.client, actor);
  await stack.client.call(DataCourseRoutes.queueSubmit, {
    body: {
      maxDecide: 1000,
      requests: students.map((s) => ({
        requestId: `abuse-${course.id}-${s.id}`,
        studentId: s.id,
        group: s.group,
        courseId: course.id,
        action: 'select' as const,
      })),
    },
  });
  return course;
}

describe('students see the presence only of users they share a course or a conversation with', () => {
  it('user:online and chat:getOnlineStatus: classmates, their teacher and chat partners yes; strangers no', async () => {
    const [me, classmate, stranger, partner, teacher] = await seedUsers(stack, [
      { role: 'student' },
      { role: 'student' },
      { role: 'student' },
      { role: 'student' },
      { role: 'teacher' },
    ]);
    await courseWith(teacher!, [me!, classmate!]);
    const p = track(await connect(url, '/chat', partner!.token));
    await ask(p, 'chat:send', { receiverId: me!.id, message: 'hello' });

    const watcher = track(await connect(url, '/', me!.token));
    const staff = track(await connect(url, '/', admin.token));
    const seen = collect<PresenceEvent>(watcher, 'user:online');
    const seenByStaff = collect<PresenceEvent>(staff, 'user:online');
    await sleep(200);
    for (const u of [classmate!, stranger!, teacher!]) track(await connect(url, '/', u.token));
    const ids = [classmate!.id, stranger!.id, teacher!.id];
    await waitFor(() => ids.every((id) => seenByStaff.some((e) => e.userId === id)));
    await sleep(200);
    const others = seen.filter((e) => e.userId !== me!.id).map((e) => e.userId);
    expect(new Set(others)).toEqual(new Set([classmate!.id, teacher!.id]));

    const statuses = await ask<{ success: boolean; statuses: Record<string, boolean> }>(
      watcher,
      'chat:getOnlineStatus',
      { userIds: [classmate!.id, stranger!.id, teacher!.id, partner!.id] },
    );
    expect(statuses).toEqual({
      success: true,
      statuses: { [classmate!.id]: true, [teacher!.id]: true, [partner!.id]: true },
    });
    // staff see everyone
    const all = await ask<{ statuses: Record<string, boolean> }>(staff, 'chat:getOnlineStatus', {
      userIds: [stranger!.id],
    });
    expect(all.statuses).toEqual({ [stranger!.id]: true });
  });

  it('a new conversation makes both sides visible to each other', async () => {
    const [a, b] = await seedUsers(stack, [{ role: 'student' }, { role: 'student' }]);
    const sa = track(await connect(url, '/chat', a!.token));
    track(await connect(url, '/chat', b!.token));
    const status = async () =>
      (await ask<{ statuses: Record<string, boolean> }>(sa, 'chat:getOnlineStatus', { userIds: [b!.id] })).statuses;
    expect(await status()).toEqual({});
    await ask(sa, 'chat:send', { receiverId: b!.id, message: 'hi' });
    expect(await status()).toEqual({ [b!.id]: true });
  });
});

describe('teachers broadcast only to students of their own courses', () => {
  const body = { type: 'general', title: 'Room change', message: 'We meet in B12.' };

  it('a course of their own reaches its students only; another course, a group or everyone is refused', async () => {
    const [teacher, other, inCourse, notInCourse] = await seedUsers(stack, [
      { role: 'teacher' },
      { role: 'teacher' },
      { role: 'student', group: 'g-abuse' },
      { role: 'student', group: 'g-abuse' },
    ]);
    const mine = await courseWith(teacher!, [inCourse!]);
    const theirs = await courseWith(other!, [notInCourse!]);
    const sIn = track(await connect(url, '/notification', inCourse!.token));
    const sOut = track(await connect(url, '/notification', notInCourse!.token));
    const gotIn = collect<Notification>(sIn, 'notification:new');
    const gotOut = collect<Notification>(sOut, 'notification:new');
    const t = track(await connect(url, '/', teacher!.token));

    const refused = 'teachers broadcast only to the students of their own courses';
    expect(await ask(t, 'notification:broadcast', { ...body, courseId: theirs.id })).toEqual({
      success: false,
      error: refused,
    });
    for (const audience of [{}, { groupId: 'g-abuse' }, { role: 'student' }]) {
      expect(await ask(t, 'notification:broadcast', { ...body, ...audience })).toEqual({
        success: false,
        error: `${refused}: give courseId`,
      });
    }
    const sent = await ask<{ success: boolean; recipients: number; notification: Notification }>(
      t,
      'notification:broadcast',
      { ...body, courseId: mine.id },
    );
    expect(sent).toMatchObject({ success: true, recipients: 1, notification: { recipientId: inCourse!.id } });
    await waitFor(() => gotIn.length === 1);
    await sleep(200);
    expect(gotIn[0]).toMatchObject({ title: 'Room change', metadata: { courseId: mine.id } });
    expect(gotOut).toEqual([]);
  });
});
