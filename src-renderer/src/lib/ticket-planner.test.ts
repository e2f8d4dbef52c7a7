import { describe, expect, it } from 'vitest';
import { allAtOnce, expectedLoad, planTickets, type PlannerInput } from './ticket-planner';

const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const base: PlannerInput = {
  groups: [
    { group: 'seniors', size: 1000 },
    { group: 'juniors', size: 4000 },
    { group: 'freshmen', size: 200 },
  ],
  decidedPerSecond: 100,
  firstOpensAt: T0,
  selectionsPerStudent: 3,
  arrivalSeconds: 60,
  headroom: 0.5,
  stepSeconds: 300,
};

describe('planTickets', () => {
  it('opens each group once the one before is decided, rounded up to the step', () => {
    const { tickets, warnings } = planTickets(base);
    // planned rate 50/s. seniors: 3,000 requests → 60 s → next at +5 min.
    // juniors: 12,000 → 240 s → still one step. freshmen: 600 → 60 s.
    expect(tickets.map((t) => [t.group, (t.opensAt - T0) / 60_000, t.demand, t.busySeconds])).toEqual([
      ['seniors', 0, 3000, 60],
      ['juniors', 5, 12000, 240],
      ['freshmen', 10, 600, 60],
    ]);
    // juniors arrive at 200/s, four times the planned 50/s: they queue, the last waits 180 s.
    expect(tickets[1]!.arrivalRate).toBe(200);
    expect(tickets[1]!.worstWaitSeconds).toBe(180);
    expect(warnings).toEqual([
      'juniors: 200 requests/s arrive, over the 50.0/s planned for; its last students wait about 180 s. Split the group to shorten it.',
    ]);
  });

  it('a group that takes longer than one step pushes the next by whole steps', () => {
    const { tickets } = planTickets({
      ...base,
      groups: [
        { group: 'all', size: 10_000 },
        { group: 'late', size: 1 },
      ],
    });
    // 30,000 requests at 50/s = 600 s = exactly two 300 s steps.
    expect((tickets[1]!.opensAt - T0) / 1000).toBe(600);
    const { tickets: t2 } = planTickets({
      ...base,
      groups: [
        { group: 'all', size: 10_001 },
        { group: 'late', size: 1 },
      ],
    });
    expect((t2[1]!.opensAt - T0) / 1000).toBe(900);
  });

  it('plans nothing without a measured rate, and says why', () => {
    expect(planTickets({ ...base, decidedPerSecond: 0 })).toEqual({
      tickets: [],
      warnings: ['No decided/s measured yet: watch the board during a rush, or type a rate.'],
    });
    expect(planTickets({ ...base, decidedPerSecond: Number.NaN }).tickets).toEqual([]);
  });
});

describe('expectedLoad', () => {
  it('arrivals per second follow the openings and the backlog drains at the planned rate', () => {
    const plan = planTickets({ ...base, groups: [{ group: 'a', size: 1000 }] });
    const load = expectedLoad(plan.tickets, base);
    // 3,000 over 60 s = 50/s arriving, 50/s decided: never a backlog.
    expect(load).toHaveLength(61);
    expect(load[0]).toEqual({ t: 0, arrivals: 50, backlog: 0 });
    expect(load[59]).toEqual({ t: 59, arrivals: 50, backlog: 0 });
    expect(load[60]).toEqual({ t: 60, arrivals: 0, backlog: 0 });
  });

  it('a group faster than the queue builds a backlog that peaks when arrivals stop, then drains to 0', () => {
    const plan = planTickets({ ...base, groups: [{ group: 'b', size: 2000 }] });
    const load = expectedLoad(plan.tickets, base);
    // 100/s in, 50/s out for 60 s: backlog 3,000 at t=59, gone 60 s later.
    expect(Math.max(...load.map((p) => p.backlog))).toBe(3000);
    expect(load[59]!.backlog).toBe(3000);
    expect(load[load.length - 1]!.backlog).toBe(0);
  });
});

describe('allAtOnce', () => {
  it('is what the stagger saves: everyone at once queues the whole demand minus what one minute decides', () => {
    // 15,600 requests, 3,000 decided in the first minute.
    expect(allAtOnce(base)).toEqual({ peakBacklog: 12_600, worstWaitSeconds: 252 });
  });
});
