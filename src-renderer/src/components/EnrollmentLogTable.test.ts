import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { EnrollmentLogEntry } from '@contracts/registrar';
import EnrollmentLogTable from './EnrollmentLogTable.vue';

const entry = (over: Partial<EnrollmentLogEntry>): EnrollmentLogEntry => ({
  id: 1,
  at: '2026-12-03T15:00:00.000Z',
  studentId: 7,
  studentName: 'Ada Student',
  courseId: 3,
  courseCode: 'CS101',
  action: 'select',
  status: 'selected',
  ticket: null,
  actorId: null,
  actorName: null,
  reason: null,
  relatedCourseId: null,
  ...over,
});

const byColumn = (entries: EnrollmentLogEntry[]) =>
  mount(EnrollmentLogTable, { props: { entries } })
    .findAll('tbody tr')
    .map((tr) => tr.findAll('td').at(-2)!.text());

describe('EnrollmentLogTable', () => {
  it('says who acted: the staff member, the student for their own requests, else the system', () => {
    expect(
      byColumn([
        entry({ id: 1 }),
        entry({ id: 2, action: 'enroll', status: 'overridden', actorId: 4, actorName: 'Reg Istrar' }),
        entry({ id: 3, action: 'remove', status: 'removed', actorId: 9 }),
        // the removal that follows an account's deletion: not the student's doing
        entry({ id: 4, action: 'remove', status: 'removed', reason: 'account deleted' }),
        entry({ id: 5, action: 'promote', status: 'promoted' }),
      ]),
    ).toEqual(['student', 'Reg Istrar', '#9', 'system', 'system']);
  });
});
