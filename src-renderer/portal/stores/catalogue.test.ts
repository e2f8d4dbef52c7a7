import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AvailableCoursesRequest, StudentCourse } from '@contracts/courses';
import { ApiClient } from '../../src/api/client';
import { installApi } from '../../src/api/instance';
import { MemoryTransport } from '../../src/testing/memory-transport';
import { courseFor } from '../testing/course';
import { useCatalogueStore } from './catalogue';
import { useLiveStore } from './live';

const course = (id: number, over: Partial<StudentCourse> = {}): StudentCourse => ({
  ...courseFor(id),
  selected: false,
  conflict: false,
  conflictsWith: [],
  openToYou: true,
  ...over,
});

describe('useCatalogueStore', () => {
  let transport: MemoryTransport;
  beforeEach(() => {
    setActivePinia(createPinia());
    transport = new MemoryTransport().on('POST', 'student_node', /^\/student\/courses\/available$/, () => ({
      status: 200,
      body: {
        courses: [
          course(1),
          course(2, { seatsLeft: 0, enrolled: 10 }),
          course(3, { conflict: true, conflictsWith: [1] }),
          course(4, { selected: true }),
          course(5, { openToYou: false }),
        ],
        total: 5,
      },
    }));
    installApi(new ApiClient(transport)).setToken('t');
  });
  afterEach(() => useLiveStore().closeAll());

  it('sends search, day and credits to the server, trimmed, and leaves out what is unset', async () => {
    const s = useCatalogueStore();
    Object.assign(s.filters, { search: '  algo ', day: 3, credits: null });
    await s.load();
    expect(transport.requests.at(-1)!.body as AvailableCoursesRequest).toEqual({ limit: 500, search: 'algo', day: 3 });
  });

  it('"open to me" keeps only courses this student could take now', async () => {
    const s = useCatalogueStore();
    await s.load();
    expect(s.visible.map((c) => c.id)).toEqual([1, 2, 3, 4, 5]);
    s.filters.openToMe = true;
    expect(s.visible.map((c) => c.id)).toEqual([1]);
    // a live seat count that empties course 1 removes it as well
    s.seats[1] = { seatsLeft: 0, enrolled: 10, capacity: 10 };
    expect(s.visible).toEqual([]);
    expect(s.codeOf(1)).toBe('C1');
    expect(s.codeOf(99)).toBe('#99');
  });

  it('a failed load keeps the last list and says what happened', async () => {
    const s = useCatalogueStore();
    await s.load();
    installApi(new ApiClient(new MemoryTransport())).setToken('t'); // every route now 404s
    await s.load();
    expect(s.courses).toHaveLength(5);
    expect(s.problem).toMatchObject({ kind: 'refused' });
  });

  it("the window is the student's own (GET /student/window: their group's time ticket), with the server's clock", async () => {
    const now = new Date(Date.now() + 60_000).toISOString();
    transport.on('GET', 'student_node', /^\/student\/window$/, () => ({
      status: 200,
      body: { group: 'y1', source: 'ticket', opensAt: '2026-12-04T09:00:00Z', closesAt: null, open: false, now },
    }));
    const s = useCatalogueStore();
    await s.loadWindow();
    expect(s.window).toMatchObject({ group: 'y1', source: 'ticket', opensAt: '2026-12-04T09:00:00Z', open: false });
    expect(s.clockSkewMs).toBeGreaterThan(50_000);
  });
});
