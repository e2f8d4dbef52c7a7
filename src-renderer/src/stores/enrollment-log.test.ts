import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { EnrollmentLogEntry } from '@contracts/registrar';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { useEnrollmentLogStore } from './enrollment-log';

const entry = (id: number, over: Partial<EnrollmentLogEntry> = {}): EnrollmentLogEntry => ({
  id,
  at: '2026-12-07T09:00:00.000Z',
  studentId: 5,
  studentName: 'Ann',
  courseId: 7,
  courseCode: 'C7',
  action: 'select',
  status: 'selected',
  ticket: id,
  actorId: null,
  actorName: null,
  reason: null,
  relatedCourseId: null,
  ...over,
});

describe('useEnrollmentLogStore', () => {
  let transport: MemoryTransport;
  beforeEach(() => {
    setActivePinia(createPinia());
    transport = new MemoryTransport().on('GET', 'teacher_node', new RegExp(`^${T.enrollmentLog.url}`), (req) =>
      req.path.includes('beforeId=')
        ? { status: 200, body: { entries: [entry(1)], nextBeforeId: null } }
        : { status: 200, body: { entries: [entry(3), entry(2)], nextBeforeId: 2 } },
    );
    installApi(new ApiClient(transport)).setToken('t');
  });

  it('asks for one student, then pages on with beforeId', async () => {
    const s = useEnrollmentLogStore();
    s.filter.studentId = 5;
    s.filter.status = 'selected';
    await s.load();
    expect(transport.requests[0]!.path).toBe(`${T.enrollmentLog.url}?studentId=5&status=selected&limit=200`);
    await s.load(true);
    expect(transport.requests[1]!.path).toContain('beforeId=2');
    expect(s.entries.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(s.nextBeforeId).toBeNull();
  });

  it('exports formula-safe CSV in the server download column order', async () => {
    const s = useEnrollmentLogStore();
    await s.load();
    s.entries = [
      entry(4, {
        reason: '+1 approved, by phone',
        actorId: 1,
        actorName: 'admin',
        status: 'overridden',
        action: 'enroll',
      }),
    ];
    expect(s.toCsv()).toBe(
      'id,at,studentId,studentName,courseId,courseCode,action,status,ticket,actorId,actorName,reason,relatedCourseId\r\n' +
        `4,2026-12-07T09:00:00.000Z,5,Ann,7,C7,enroll,overridden,4,1,admin,"'+1 approved, by phone",\r\n`,
    );
  });
});
