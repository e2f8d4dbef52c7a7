import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ConsoleRequest } from '@contracts/console-api';
import type { SetTimeTicketsRequest, TimeTicketsResponse } from '@contracts/registrar';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { toLocalInput, useTimeTicketsStore } from './time-tickets';

describe('useTimeTicketsStore', () => {
  let held: TimeTicketsResponse;
  let transport: MemoryTransport;

  beforeEach(() => {
    setActivePinia(createPinia());
    held = {
      tickets: [{ group: 'seniors', opensAt: '2026-12-07T08:00:00.000Z', closesAt: null }],
      groups: [
        { group: 'seniors', students: 400 },
        { group: 'juniors', students: 900 },
      ],
    };
    transport = new MemoryTransport()
      .on('GET', 'teacher_node', new RegExp(`^${T.timeTickets.url}$`), () => ({ status: 200, body: held }))
      .on('PUT', 'teacher_node', new RegExp(`^${T.setTimeTickets.url}$`), (req: ConsoleRequest) => {
        held = {
          ...held,
          tickets: (req.body as SetTimeTicketsRequest).tickets.map((t) => ({ ...t, closesAt: t.closesAt ?? null })),
        };
        return { status: 200, body: held };
      });
    installApi(new ApiClient(transport)).setToken('t');
  });

  it('a loaded draft is not dirty; an edit is, until it is saved as ISO times', async () => {
    const s = useTimeTicketsStore();
    await s.load();
    expect(s.dirty).toBe(false);
    s.addRow('juniors');
    s.draft[1]!.opensAt = toLocalInput('2026-12-07T08:05:00.000Z');
    expect(s.dirty).toBe(true);
    await s.save();
    expect((transport.requests.at(-1)!.body as SetTimeTicketsRequest).tickets).toEqual([
      { group: 'seniors', opensAt: '2026-12-07T08:00:00.000Z', closesAt: null },
      { group: 'juniors', opensAt: '2026-12-07T08:05:00.000Z', closesAt: null },
    ]);
    expect(s.dirty).toBe(false);
  });

  it('names what keeps a draft from being saved, and does not send it', async () => {
    const s = useTimeTicketsStore();
    await s.load();
    s.addRow('seniors');
    s.addRow('');
    s.draft[0]!.closesAt = toLocalInput('2026-12-07T07:00:00.000Z');
    expect(s.problems).toEqual([
      'Row 1: it must close after it opens.',
      'Row 2: seniors has two tickets.',
      'Row 2: set when it opens.',
      'Row 3: name the group.',
      'Row 3: set when it opens.',
    ]);
    const sent = transport.requests.length;
    await expect(s.save()).rejects.toThrow('Row 1: it must close after it opens.');
    expect(transport.requests.length).toBe(sent);
  });

  it('plans from the group sizes it knows, in the draft order, and the plan fills the draft', async () => {
    const s = useTimeTicketsStore();
    await s.load();
    expect(s.plannerGroups()).toEqual([
      { group: 'seniors', size: 400 },
      { group: 'juniors', size: 900 },
    ]);
    const t0 = Date.parse('2026-12-07T08:00:00.000Z');
    const plan = s.plan({ decidedPerSecond: 100, firstOpensAt: t0 });
    s.applyPlan(plan);
    expect(s.draft.map((d) => [d.group, new Date(d.opensAt).toISOString()])).toEqual([
      ['seniors', '2026-12-07T08:00:00.000Z'],
      ['juniors', '2026-12-07T08:05:00.000Z'],
    ]);
  });
});
