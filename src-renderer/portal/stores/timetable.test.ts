import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { ApiClient } from '../../src/api/client';
import { installApi } from '../../src/api/instance';
import { MemoryTransport } from '../../src/testing/memory-transport';
import { useTimetableStore } from './timetable';

const entry = (code: string, day: number, start: string) => ({
  courseId: code.length,
  code,
  name: code,
  location: '',
  teacherName: null,
  day,
  start,
  end: '23:00',
});
const held = (id: number, teacherId: number | null, teacherName: string | null) => ({
  id,
  code: `C${id}`,
  name: `Course ${id}`,
  teacherId,
  teacherName,
  capacity: 10,
  enrolled: 1,
  seatsLeft: 9,
  credits: 5,
  slots: [],
  location: '',
  description: '',
  allowedGroups: [],
  createdAt: '',
  updatedAt: '',
  enrolledAt: '',
});

const ticket = {
  ticket: 0,
  courseId: 6,
  courseCode: 'NET',
  action: 'select' as const,
  createdAt: '2026-12-03T08:00:00Z',
};
const logEntry = (id: number, status: string, action: string, courseId: number, relatedCourseId: number | null) => ({
  id,
  at: `2026-12-03T09:00:0${id}Z`,
  studentId: 3,
  studentName: 'S',
  courseId,
  courseCode: `C${courseId}`,
  action,
  status,
  ticket: 11,
  actorId: null,
  actorName: null,
  reason: null,
  relatedCourseId,
});

describe('useTimetableStore', () => {
  let fail: boolean;
  beforeEach(() => {
    setActivePinia(createPinia());
    fail = false;
    const t = new MemoryTransport()
      .on('GET', 'student_node', /^\/student\/schedule$/, () => ({
        status: 200,
        body: {
          entries: [entry('LATE', 1, '14:00'), entry('SUN', 7, '10:00'), entry('EARLY', 1, '08:00')],
          firstStart: '08:00',
          lastEnd: '23:00',
        },
      }))
      .on('GET', 'student_node', /^\/student\/courses\/selected$/, () =>
        fail
          ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'down' } } }
          : {
              status: 200,
              body: {
                courses: [held(1, 7, 'Prof A'), held(2, 7, 'Prof A'), held(3, null, null)],
                totalCredits: 15,
                creditLimit: 12,
              },
            },
      )
      .on('GET', 'student_node', /^\/student\/queue\/status$/, () => ({
        status: 200,
        body: {
          pending: 1,
          tickets: [
            { ...ticket, ticket: 12, status: null, position: 4, decidedAt: null },
            { ...ticket, ticket: 11, status: 'waitlisted', decidedAt: '2026-12-03T08:00:01Z' },
          ],
        },
      }))
      .on('GET', 'student_node', /^\/student\/history\?limit=100$/, () => ({
        status: 200,
        body: {
          nextBeforeId: null,
          entries: [
            logEntry(3, 'swapped', 'promote', 9, 5),
            logEntry(2, 'promoted', 'promote', 5, 9),
            logEntry(1, 'waitlisted', 'join', 5, 9),
          ],
        },
      }));
    installApi(new ApiClient(t)).setToken('t');
  });

  it('groups meetings by day, Monday to Sunday, in time order; credits against the limit; one contact per teacher', async () => {
    const s = useTimetableStore();
    await s.load();
    expect(s.byDay[1]!.map((e) => e.code)).toEqual(['EARLY', 'LATE']);
    expect(s.byDay[7]!.map((e) => e.code)).toEqual(['SUN']);
    expect(Object.keys(s.byDay)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(s.overLimit).toBe(true);
    expect(s.teachers).toEqual([{ id: 7, name: 'Prof A' }]);
  });

  it('keeps what it had and says why when a part cannot be loaded', async () => {
    const s = useTimetableStore();
    await s.load();
    fail = true;
    await s.load();
    expect(s.problem).toMatchObject({ kind: 'busy', retryable: true });
    expect(s.entries).toHaveLength(3);
  });

  it('history: requests still queued, then the change log, which shows promotions and swaps no click made', async () => {
    const s = useTimetableStore();
    await s.load();
    expect(s.history.map((r) => [r.courseCode, r.action, r.status, r.position, r.relatedCourseId])).toEqual([
      ['NET', 'select', null, 4, null],
      ['C9', 'promote', 'swapped', null, 5],
      ['C5', 'promote', 'promoted', null, 9],
      ['C5', 'join', 'waitlisted', null, 9],
    ]);
  });
});
