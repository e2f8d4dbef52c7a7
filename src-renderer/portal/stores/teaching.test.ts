import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Course, EnrolledStudent } from '@contracts/courses';
import type { MemoryTransport } from '../../src/testing/memory-transport';
import { startLiveServer, until, type LiveServer } from '../testing/live-server';
import { courseFor } from '../testing/course';
import { signedIn } from '../testing/signed-in';
import { useLiveStore } from './live';
import { ANNOUNCEMENT_TYPE, useTeachingStore } from './teaching';

const course = (id: number, code: string, enrolled: number, capacity = 10): Course =>
  courseFor(id, {
    code,
    name: `Course ${code}`,
    teacherId: 9,
    teacherName: 'Dr. T',
    capacity,
    enrolled,
    seatsLeft: capacity - enrolled,
    location: 'Room 1',
    createdAt: '2026-12-01T00:00:00Z',
    updatedAt: '2026-12-01T00:00:00Z',
  });
const student = (id: number): EnrolledStudent => ({
  id,
  username: `s${id}`,
  name: `Student ${id}`,
  group: 'cs',
  enrolledAt: '2026-12-02T00:00:00Z',
});

describe('useTeachingStore: courses with live enrolment, roster, announce', () => {
  let server: LiveServer;
  let transport: MemoryTransport;
  let list: Course[];
  let roster: EnrolledStudent[];
  let sent: { recipientId: number; type: string; title: string; metadata: unknown }[];
  let watched: number[][];
  /** teacher_node draining: GET /teacher/courses answers 503 */
  let busy: boolean;

  beforeEach(async () => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    server = await startLiveServer();
    server.tokens.add('tok-teach');
    list = [course(1, 'ALG', 4), course(2, 'DB', 10)];
    roster = [student(21), student(22), student(23)];
    sent = [];
    watched = [];
    busy = false;
    server.onConnection('/courses', (s) =>
      s.on('course:watch', (p: { courseIds: number[] }) => watched.push(p.courseIds)),
    );
    server.onConnection('/', (s) =>
      s.on('notification:send', (p: (typeof sent)[number], ack) => {
        if (p.recipientId === 22) return ack({ success: false, error: 'no such user' });
        sent.push(p);
        ack({ success: true, notification: { id: sent.length }, recipientOnline: false });
      }),
    );
    transport = await signedIn(9, 'tok-teach', 'teacher');
    transport
      .on('GET', 'teacher_node', /^\/teacher\/courses$/, () =>
        busy
          ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'draining' } } }
          : { status: 200, body: { courses: list } },
      )
      .on('POST', 'teacher_node', /^\/teacher\/course\/detail$/, () => ({
        status: 200,
        body: { course: { ...list[0]!, enrolled: roster.length }, students: roster },
      }))
      .on('POST', 'teacher_node', /^\/teacher\/student\/remove$/, (req) => {
        const { studentId } = req.body as { studentId: number };
        roster = roster.filter((s) => s.id !== studentId);
        return { status: 200, body: { removed: true, course: { ...list[0]!, enrolled: roster.length } } };
      })
      .on('POST', 'teacher_node', /^\/teacher\/course\/create$/, (req) => ({
        status: 201,
        body: { course: { ...course(3, (req.body as { code: string }).code, 0) } },
      }));
  });
  afterEach(async () => {
    useLiveStore().closeAll();
    await server.close();
  });

  it('loads the courses, totals them, and watches their seats', async () => {
    const t = useTeachingStore();
    await t.load();
    expect(t.totals).toEqual({ courseCount: 2, capacity: 20, enrolled: 14, fillRate: 0.7, full: 1 });
    await until(() => watched.length === 1);
    expect(watched[0]).toEqual([1, 2]);
  });

  it('live enrolment: a seat event updates the course and the totals', async () => {
    const t = useTeachingStore();
    await t.load();
    await until(() => watched.length === 1);
    server.emit('/courses', 'course:seats', { courseId: 1, seatsLeft: 0, enrolled: 10, capacity: 10 });
    await until(() => t.courses[0]!.enrolled === 10);
    expect(t.totals).toMatchObject({ enrolled: 20, full: 2, fillRate: 1 });
  });

  it('after a reconnect the courses are read again (enrolments while down were not pushed)', async () => {
    const t = useTeachingStore();
    await t.load();
    await until(() => useLiveStore().state('/courses') === 'live');
    await server.stop();
    list = [course(1, 'ALG', 7), course(2, 'DB', 10)];
    await server.start();
    await until(() => t.courses[0]!.enrolled === 7, 10_000);
  }, 15_000);

  it('a 503 on load is a retryable problem, cleared by the next good load', async () => {
    const t = useTeachingStore();
    busy = true;
    await t.load();
    expect(t.problem).toMatchObject({ kind: 'busy', retryable: true });
    expect(t.loaded).toBe(false);
    busy = false;
    await t.load();
    expect(t.problem).toBeNull();
    expect(t.loaded).toBe(true);
  });

  it('roster: remove a student updates the roster and the count', async () => {
    const t = useTeachingStore();
    await t.load();
    await t.loadRoster(1);
    expect(t.rosters[1]!.map((s) => s.id)).toEqual([21, 22, 23]);
    await t.removeStudent(1, 22);
    expect(t.rosters[1]!.map((s) => s.id)).toEqual([21, 23]);
    expect(t.courses.find((c) => c.id === 1)!.enrolled).toBe(2);
  });

  it('create adds the course and watches it too', async () => {
    const t = useTeachingStore();
    await t.load();
    await until(() => watched.length === 1);
    await t.create({ code: 'NEW1', name: 'New', capacity: 10, credits: 3, slots: [] } as never);
    expect(t.courses.map((c) => c.code)).toEqual(['ALG', 'DB', 'NEW1']);
    await until(() => watched.length === 2);
    expect(watched[1]).toEqual([1, 2, 3]);
  });

  it('announce: one notification per student on the roster, titled with the course; failures counted', async () => {
    const t = useTeachingStore();
    await t.load();
    await t.loadRoster(1);
    expect(await t.announce(1, 'Room change', 'We meet in Hall B')).toEqual({ sent: 2, failed: 1 });
    expect(sent.map((s) => s.recipientId)).toEqual([21, 23]);
    expect(sent[0]).toMatchObject({ type: ANNOUNCEMENT_TYPE, title: 'ALG: Room change', metadata: { courseId: 1 } });
  });
});
