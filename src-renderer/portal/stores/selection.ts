import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive } from 'vue';
import {
  type DecisionStatus,
  type QueueStatusResponse,
  type SelectionAction,
  type SelectionDecided,
  type SelectionQueued,
} from '@contracts/courses';
import { StudentRoutes } from '@contracts/routes/student';
import type { SelectionOutcomeEvent } from '@contracts/realtime';
import { api } from '../../src/api/instance';
import { newIdempotencyKey } from '../lib/idempotency';
import { describeProblem, type Problem } from '../lib/problem';
import { useLiveStore } from './live';

/**
 * One select, deselect, waitlist join or leave as the student sees it, from click to the
 * queue's decision:
 * - `sending`: on its way;
 * - `queued`: saved with a ticket but not decided yet; `position` follows the queue live;
 * - `decided`: the queue's answer (`selected`, `full`, `window_closed`, `waitlisted` with its
 *   position, …);
 * - `lost`: no answer (network down, 503, 429). Trying again sends the SAME Idempotency-Key, so
 *   if the first try was saved the student gets that ticket back instead of a second one;
 * - `refused`: a clear no before any ticket (e.g. not open to their group).
 */
export interface Attempt {
  readonly courseId: number;
  readonly action: SelectionAction;
  readonly key: string;
  phase: 'sending' | 'queued' | 'decided' | 'lost' | 'refused';
  status: DecisionStatus | null;
  ticket: number | null;
  /** place in the queue while `queued`; place on the waitlist once `waitlisted` */
  position: number | null;
  /** a join's held course to drop only if this one is obtained */
  readonly swapFrom: number | null;
  /** the course actually dropped for this one (a join answered `selected` at once) */
  swappedFrom: number | null;
  /** `window_closed`: this student's opening time (their group's time ticket) */
  opensAt: string | null;
  problem: Problem | null;
}

/** A waitlisted student got the seat: `swappedFrom` is the course dropped for it. */
export interface Promotion {
  readonly courseId: number;
  readonly swappedFrom: number | null;
  readonly ticket: number;
}

type Decision = Pick<SelectionDecided, 'status' | 'position' | 'swappedFrom' | 'opensAt'>;

const PATHS: Record<SelectionAction, string | null> = {
  select: StudentRoutes.select.url,
  deselect: StudentRoutes.deselect.url,
  join: StudentRoutes.waitlistJoin.url,
  leave: StudentRoutes.waitlistLeave.url,
  enroll: null, // staff only
};

const POLL_MS = 1000;
/** one quiet retry for a lost answer before the student is asked */
const AUTO_RETRY_MS = 800;

export const useSelectionStore = defineStore('selection', () => {
  const attempts = reactive<Record<number, Attempt>>({});
  const decidedHooks = new Set<(a: Attempt) => void>();
  const promotedHooks = new Set<(p: Promotion) => void>();
  let poll: ReturnType<typeof setInterval> | null = null;
  let listening = false;

  /** Called with every attempt that reaches a decision (the catalogue and timetable refresh). */
  function onDecided(fn: (a: Attempt) => void): () => void {
    decidedHooks.add(fn);
    return () => decidedHooks.delete(fn);
  }

  /** Called when a waitlist promotion arrives live (it answers no click of this page). */
  function onPromoted(fn: (p: Promotion) => void): () => void {
    promotedHooks.add(fn);
    return () => promotedHooks.delete(fn);
  }

  function decide(a: Attempt, d: Decision): void {
    if (a.phase === 'decided') return;
    a.phase = 'decided';
    a.status = d.status;
    a.position = d.status === 'waitlisted' ? (d.position ?? null) : null;
    a.swappedFrom = d.swappedFrom ?? null;
    a.opensAt = d.opensAt ?? null;
    for (const fn of decidedHooks) fn(a);
    stopPollingIfIdle();
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    useLiveStore()
      .socket('/courses')
      .on('selection:outcome', (e: SelectionOutcomeEvent) => {
        if (typeof e?.status !== 'string' || typeof e.courseId !== 'number') return;
        const a = Object.values(attempts).find((x) => x.phase === 'queued' && String(x.ticket) === String(e.ticket));
        // a join still shown as queued (its `waitlisted` was missed) is settled by its promotion too
        if (a) decide(a, e);
        if (e.status === 'promoted') {
          // "you are number N on the waitlist" is no longer true once the seat is theirs
          if (attempts[e.courseId]?.status === 'waitlisted') dismiss(e.courseId);
          const p: Promotion = { courseId: e.courseId, swappedFrom: e.swappedFrom ?? null, ticket: e.ticket };
          for (const fn of promotedHooks) fn(p);
        }
      });
  }

  /** Positions move as the queue works; the outcome event may be missed while reconnecting. */
  async function pollQueue(): Promise<void> {
    const waiting = Object.values(attempts).filter((a) => a.phase === 'queued');
    if (waiting.length === 0) return stopPollingIfIdle();
    try {
      const res = await api().get<QueueStatusResponse>('student_node', StudentRoutes.queueStatus.url);
      for (const a of waiting) {
        const t = res.tickets.find((x) => x.ticket === a.ticket);
        if (!t) continue;
        // the ticket list carries no waitlist position: the waitlist store reads it
        if (t.status) decide(a, { status: t.status });
        else if (t.position !== null) a.position = t.position;
      }
    } catch {
      // The next tick tries again; the attempt stays "queued", which is still true.
    }
  }

  function startPolling(): void {
    poll ??= setInterval(() => void pollQueue(), POLL_MS);
  }
  function stopPollingIfIdle(): void {
    if (poll && !Object.values(attempts).some((a) => a.phase === 'queued')) {
      clearInterval(poll);
      poll = null;
    }
  }

  async function send(a: Attempt): Promise<void> {
    const path = PATHS[a.action];
    if (!path) throw new Error(`A student cannot ${a.action}.`);
    const body = a.swapFrom !== null ? { courseId: a.courseId, swapFrom: a.swapFrom } : { courseId: a.courseId };
    const res = await api().post<SelectionDecided | SelectionQueued>('student_node', path, body, {
      idempotencyKey: a.key,
    });
    a.ticket = res.ticket;
    a.problem = null;
    if (res.status === 'queued') {
      a.phase = 'queued';
      a.position = res.position;
      startPolling();
    } else {
      decide(a, res);
    }
  }

  /** Select, deselect, join or leave; a retry after a lost answer reuses that attempt's key. */
  async function submit(courseId: number, action: SelectionAction, swapFrom: number | null = null): Promise<Attempt> {
    listen();
    const prev = attempts[courseId];
    if (prev && (prev.phase === 'sending' || prev.phase === 'queued')) return prev;
    const sameAgain = prev && prev.phase === 'lost' && prev.action === action && prev.swapFrom === swapFrom;
    const key = sameAgain ? prev.key : newIdempotencyKey();
    attempts[courseId] = {
      courseId,
      action,
      key,
      phase: 'sending',
      status: null,
      ticket: null,
      position: null,
      swapFrom,
      swappedFrom: null,
      opensAt: null,
      problem: null,
    };
    const a = attempts[courseId]!;
    for (let tries = 0; ; tries++) {
      try {
        await send(a);
        return a;
      } catch (err) {
        const problem = describeProblem(err);
        const quietRetry = tries === 0 && (problem.kind === 'offline' || problem.kind === 'busy');
        if (quietRetry) {
          await new Promise((r) => setTimeout(r, AUTO_RETRY_MS));
          continue;
        }
        a.problem = problem;
        a.phase = problem.retryable ? 'lost' : 'refused';
        return a;
      }
    }
  }

  function attemptFor(courseId: number): Attempt | null {
    return attempts[courseId] ?? null;
  }

  function dismiss(courseId: number): void {
    const a = attempts[courseId];
    if (a && a.phase !== 'sending' && a.phase !== 'queued') delete attempts[courseId];
  }

  function reset(): void {
    for (const id of Object.keys(attempts)) delete attempts[Number(id)];
    if (poll) clearInterval(poll);
    poll = null;
    listening = false;
    decidedHooks.clear();
    promotedHooks.clear();
  }

  return { attempts, submit, attemptFor, dismiss, onDecided, onPromoted, listen, pollQueue, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSelectionStore, import.meta.hot));
