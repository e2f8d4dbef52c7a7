import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { RegistrationBoard } from '@contracts/registrar';
import { TeacherRoutes } from '@contracts/routes/teacher';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { BOARD_STALE_MS, useBoardStore } from './board';

const T = Date.parse('2026-12-07T09:00:00.000Z');
const sample = (secondsBefore: number, decidedPerSec: number) => ({
  at: new Date(T - secondsBefore * 1000).toISOString(),
  decidedPerSec,
  p50Ms: 4,
  p99Ms: 40,
  backlog: 0,
});
const board = (over: Partial<RegistrationBoard> = {}): RegistrationBoard => ({
  ...sample(0, 120),
  history: [sample(20 * 60, 1), sample(14 * 60, 2), sample(5, 120)],
  courses: [
    {
      courseId: 1,
      code: 'A1',
      name: 'A',
      enrolled: 3,
      capacity: 3,
      overrideSeats: 0,
      reservedSeats: 0,
      waitlisted: 2,
      refusals: { full: 4 },
    },
    {
      courseId: 2,
      code: 'B2',
      name: 'B',
      enrolled: 1,
      capacity: 5,
      overrideSeats: 0,
      reservedSeats: 1,
      waitlisted: 0,
      refusals: { full: 1, conflict: 9 },
    },
  ],
  ...over,
});

describe('useBoardStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('is live only while the link is up and a push came within the stale limit; otherwise stale, never live', () => {
    const s = useBoardStore();
    expect(s.freshness(T, true)).toBe('none');
    s.onBoard(board(), T);
    expect(s.freshness(T + 1000, true)).toBe('live');
    expect(s.freshness(T + 1000, false)).toBe('stale');
    expect(s.freshness(T + BOARD_STALE_MS + 1, true)).toBe('stale');
  });

  it('ignores a pushed payload that is not a board, keeping the last good one and its age', () => {
    const s = useBoardStore();
    s.onBoard(board(), T);
    s.onBoard({ decidedPerSec: 'fast' }, T + 5000);
    s.onBoard(null, T + 5000);
    expect(s.board?.decidedPerSec).toBe(120);
    expect(s.receivedAt).toBe(T);
  });

  it('charts the last 15 minutes of the server history only', () => {
    const s = useBoardStore();
    s.onBoard(board(), T);
    expect(s.chartSamples().map((p) => p.decidedPerSec)).toEqual([2, 120]);
  });

  it('ranks courses by unmet demand (refusals of every reason)', () => {
    const s = useBoardStore();
    s.onBoard(board(), T);
    expect(s.topRefused.map((c) => [c.code, c.refused])).toEqual([
      ['B2', 10],
      ['A1', 4],
    ]);
  });

  it('loads the board over the API, and says why when it cannot', async () => {
    let up = true;
    const transport = new MemoryTransport().on(
      'GET',
      'teacher_node',
      new RegExp(`^${TeacherRoutes.registrationBoard.url}$`),
      () =>
        up
          ? { status: 200, body: board() }
          : { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'teacher_node is unavailable' } } },
    );
    installApi(new ApiClient(transport)).setToken('t');
    const s = useBoardStore();
    await s.load();
    expect(s.board?.courses).toHaveLength(2);
    expect(s.error).toBeNull();
    up = false;
    await s.load();
    expect(s.error).toMatch(/unavailable/);
    // the last board stays, and its age keeps growing: the view shows it grey
    expect(s.board).not.toBeNull();
  });
});
