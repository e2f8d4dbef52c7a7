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
 * One select or deselect as the student sees it, from click to the queue's decision:
 * - `sending`: on its way;
 * - `queued`: saved with a ticket but not decided yet; `position` follows the queue live;
 * - `decided`: the queue's answer (`selected`, `full`, `window_closed`, …);
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
  position: number | null;
  problem: Problem | null;
}

const POLL_MS = 1000;
/** one quiet retry for a lost answer before the student is asked */
const AUTO_RETRY_MS = 800;

export const useSelectionStore = defineStore('selection', () => {
  const attempts = reactive<Record<number, Attempt>>({});
  const decidedHooks = new Set<(a: Attempt) => void>();
  let poll: ReturnType<typeof setInterval> | null = null;
  let listening = false;

  /** Called with every attempt that reaches a decision (the catalogue and timetable refresh). */
  function onDecided(fn: (a: Attempt) => void): () => void {
    decidedHooks.add(fn);
    return () => decidedHooks.delete(fn);
  }

  function decide(a: Attempt, status: DecisionStatus): void {
    if (a.phase === 'decided') return;
    a.phase = 'decided';
    a.status = status;
    a.position = null;
    for (const fn of decidedHooks) fn(a);
    stopPollingIfIdle();
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    useLiveStore()
      .socket('/courses')
      .on('selection:outcome', (e: SelectionOutcomeEvent) => {
        const a = Object.values(attempts).find((x) => x.phase === 'queued' && String(x.ticket) === String(e?.ticket));
        if (a && typeof e.status === 'string') decide(a, e.status as DecisionStatus);
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
        if (t.status) decide(a, t.status);
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
    const path = a.action === 'select' ? StudentRoutes.select.url : StudentRoutes.deselect.url;
    const res = await api().post<SelectionDecided | SelectionQueued>(
      'student_node',
      path,
      { courseId: a.courseId },
      { idempotencyKey: a.key },
    );
    a.ticket = res.ticket;
    a.problem = null;
    if (res.status === 'queued') {
      a.phase = 'queued';
      a.position = res.position;
      startPolling();
    } else {
      decide(a, res.status);
    }
  }

  /** Select or deselect; a retry after a lost answer reuses that attempt's key. */
  async function submit(courseId: number, action: SelectionAction): Promise<Attempt> {
    listen();
    const prev = attempts[courseId];
    if (prev && (prev.phase === 'sending' || prev.phase === 'queued')) return prev;
    const key = prev && prev.phase === 'lost' && prev.action === action ? prev.key : newIdempotencyKey();
    attempts[courseId] = {
      courseId,
      action,
      key,
      phase: 'sending',
      status: null,
      ticket: null,
      position: null,
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
  }

  return { attempts, submit, attemptFor, dismiss, onDecided, pollQueue, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSelectionStore, import.meta.hot));
