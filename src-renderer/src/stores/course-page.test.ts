import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ConsoleRequest } from '@contracts/console-api';
import type { Course, EnrolledStudent } from '@contracts/courses';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { useCoursePageStore } from './course-page';

const course = { id: 7, code: 'C7', name: 'Seven', capacity: 2, enrolled: 2 } as Course;
const student = (id: number, name: string): EnrolledStudent => ({
  id,
  username: `s${id}`,
  name,
  group: 'cs',
  enrolledAt: '2026-12-07T09:00:00.000Z',
});
const path = (url: string) => new RegExp(`^${url}(\\?|$)`);

describe('useCoursePageStore', () => {
  let transport: MemoryTransport;
  let roster: EnrolledStudent[];
  let waitlistDown: boolean;

  beforeEach(() => {
    setActivePinia(createPinia());
    roster = [student(1, 'Ann'), student(2, '=HYPERLINK("x")')];
    waitlistDown = false;
    transport = new MemoryTransport()
      .on('POST', 'teacher_node', path(T.detail.url), () => ({ status: 200, body: { course, students: roster } }))
      .on('GET', 'teacher_node', path(T.courseWaitlist.url), () =>
        waitlistDown
          ? { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'data_node is unavailable' } } }
          : { status: 200, body: { courseId: 7, entries: [] } },
      )
      .on('GET', 'teacher_node', path(T.reservations.url), () => ({ status: 200, body: { reservations: [] } }))
      .on('GET', 'teacher_node', path(T.enrollmentLog.url), () => ({
        status: 200,
        body: { entries: [], nextBeforeId: null },
      }))
      .on('POST', 'teacher_node', path(T.removeStudent.url), (req: ConsoleRequest) => {
        roster = roster.filter((s) => s.id !== (req.body as { studentId: number }).studentId);
        return { status: 200, body: { removed: true, course } };
      })
      .on('POST', 'teacher_node', path(T.enroll.url), () => ({
        status: 200,
        body: { status: 'overridden', ticket: 9, courseId: 7, action: 'enroll' },
      }));
    installApi(new ApiClient(transport)).setToken('t');
  });

  it('loads each part on its own: a failing waitlist says so and the rest still shows', async () => {
    waitlistDown = true;
    const s = useCoursePageStore();
    await s.open(7);
    expect(s.course?.code).toBe('C7');
    expect(s.roster).toHaveLength(2);
    expect(s.errors).toEqual({ roster: null, waitlist: 'data_node is unavailable', reservations: null, log: null });
    expect(transport.requests.find((r) => r.path.startsWith(T.courseWaitlist.url))?.path).toBe(
      `${T.courseWaitlist.url}?courseId=7`,
    );
  });

  it('exports the roster as formula-safe CSV in enrolment order', async () => {
    const s = useCoursePageStore();
    await s.open(7);
    expect(s.rosterCsv()).toBe(
      'id,username,name,group,enrolledAt\r\n' +
        '1,s1,Ann,cs,2026-12-07T09:00:00.000Z\r\n' +
        `2,s2,"'=HYPERLINK(""x"")",cs,2026-12-07T09:00:00.000Z\r\n`,
    );
  });

  it('a removal reloads the roster; a staff enrolment sends the course, the overrides and the reason', async () => {
    const s = useCoursePageStore();
    await s.open(7);
    await s.removeStudent(1);
    expect(s.roster.map((r) => r.id)).toEqual([2]);
    const res = await s.enroll({ studentId: 3, overCapacity: true, reason: 'advisor approved' });
    expect(res.status).toBe('overridden');
    expect(transport.requests.find((r) => r.path === T.enroll.url)?.body).toEqual({
      studentId: 3,
      overCapacity: true,
      reason: 'advisor approved',
      courseId: 7,
    });
  });
});
