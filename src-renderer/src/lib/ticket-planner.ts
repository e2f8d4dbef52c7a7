/**
 * The time-ticket planner's arithmetic: given the groups in the order they should open, their
 * sizes and the decided/s the live board measured, when should each group open so the queue
 * keeps up, and what load should we expect? Pure functions, so the numbers are tested apart
 * from the view.
 *
 * Model: a group's students arrive evenly over `arrivalSeconds` after it opens, each sending
 * `selectionsPerStudent` selections; the queue decides `decidedPerSecond × headroom` a second
 * (headroom < 1 keeps room for retries and swaps). A group is done once its last request is
 * decided; the next group opens then, rounded up to `stepSeconds`.
 */
export interface PlannerGroup {
  readonly group: string;
  readonly size: number;
}

export interface PlannerInput {
  readonly groups: readonly PlannerGroup[];
  /** measured on the board; 0 or less means "unknown" and nothing can be planned */
  readonly decidedPerSecond: number;
  /** epoch ms */
  readonly firstOpensAt: number;
  readonly selectionsPerStudent: number;
  readonly arrivalSeconds: number;
  /** 0-1: the share of the measured rate to plan with */
  readonly headroom: number;
  readonly stepSeconds: number;
}

export interface PlannedTicket {
  readonly group: string;
  readonly opensAt: number;
  /** requests this group sends */
  readonly demand: number;
  /** its arrival rate, requests/s */
  readonly arrivalRate: number;
  /** seconds from its opening until its last request is decided */
  readonly busySeconds: number;
  /** the longest a request of this group waits in the queue, seconds */
  readonly worstWaitSeconds: number;
}

export interface TicketPlan {
  readonly tickets: readonly PlannedTicket[];
  readonly warnings: readonly string[];
}

export const PLANNER_DEFAULTS = {
  selectionsPerStudent: 3,
  arrivalSeconds: 60,
  headroom: 0.8,
  stepSeconds: 300,
} as const;

export function planTickets(input: PlannerInput): TicketPlan {
  const warnings: string[] = [];
  const rate = input.decidedPerSecond * input.headroom;
  if (!(rate > 0)) {
    return { tickets: [], warnings: ['No decided/s measured yet: watch the board during a rush, or type a rate.'] };
  }
  const step = Math.max(1, input.stepSeconds) * 1000;
  const tickets: PlannedTicket[] = [];
  let opensAt = input.firstOpensAt;
  for (const g of input.groups) {
    const demand = Math.max(0, Math.round(g.size * input.selectionsPerStudent));
    const arrivalRate = demand / Math.max(1, input.arrivalSeconds);
    // Arrivals slower than the queue are decided as they come; faster ones queue up and the
    // last one waits for everything before it.
    const busySeconds = Math.max(input.arrivalSeconds, demand / rate);
    const worstWaitSeconds = Math.max(0, demand / rate - input.arrivalSeconds);
    if (arrivalRate > rate) {
      warnings.push(
        `${g.group}: ${fmt(arrivalRate)} requests/s arrive, over the ${fmt(rate)}/s planned for; ` +
          `its last students wait about ${Math.ceil(worstWaitSeconds)} s. Split the group to shorten it.`,
      );
    }
    tickets.push({ group: g.group, opensAt, demand, arrivalRate, busySeconds, worstWaitSeconds });
    opensAt += Math.ceil((busySeconds * 1000) / step) * step;
  }
  return { tickets, warnings };
}

export interface LoadPoint {
  /** seconds since the first opening */
  readonly t: number;
  /** requests arriving per second */
  readonly arrivals: number;
  /** requests waiting at the end of this second */
  readonly backlog: number;
}

/**
 * The expected load second by second from the first opening until everything is decided (at
 * most `maxSeconds`), for the preview chart.
 */
export function expectedLoad(
  tickets: readonly PlannedTicket[],
  input: Pick<PlannerInput, 'decidedPerSecond' | 'headroom' | 'arrivalSeconds'>,
  maxSeconds = 6 * 3600,
): LoadPoint[] {
  if (tickets.length === 0) return [];
  const rate = input.decidedPerSecond * input.headroom;
  const start = tickets[0]!.opensAt;
  const last = tickets[tickets.length - 1]!;
  const end = Math.min(maxSeconds, Math.ceil((last.opensAt - start) / 1000 + last.busySeconds) + 1);
  const points: LoadPoint[] = [];
  let backlog = 0;
  for (let t = 0; t < end; t++) {
    let arrivals = 0;
    for (const k of tickets) {
      const since = t - (k.opensAt - start) / 1000;
      if (since >= 0 && since < input.arrivalSeconds) arrivals += k.arrivalRate;
    }
    backlog = Math.max(0, backlog + arrivals - rate);
    points.push({ t, arrivals, backlog });
  }
  return points;
}

/** The same groups all opening at once: what the plan saves, for the preview. */
export function allAtOnce(input: PlannerInput): { peakBacklog: number; worstWaitSeconds: number } {
  const rate = input.decidedPerSecond * input.headroom;
  const demand = input.groups.reduce((n, g) => n + g.size * input.selectionsPerStudent, 0);
  if (!(rate > 0)) return { peakBacklog: demand, worstWaitSeconds: Infinity };
  const peakBacklog = Math.max(0, demand - rate * input.arrivalSeconds);
  return { peakBacklog, worstWaitSeconds: Math.max(0, demand / rate - input.arrivalSeconds) };
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1);
}
