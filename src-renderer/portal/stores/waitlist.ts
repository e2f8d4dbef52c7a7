import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { StudentCourseDetailResponse } from '@contracts/courses';
import type { StudentWaitlistResponse, WaitlistEntry } from '@contracts/registrar';
import { StudentRoutes } from '@contracts/routes/student';
import { api } from '../../src/api/instance';
import { describeProblem, type Problem } from '../lib/problem';
import { useLiveStore } from './live';
import { useCatalogueStore } from './catalogue';
import { useSelectionStore, type Promotion } from './selection';
import { useTimetableStore } from './timetable';

/** A promotion as shown: the codes are taken when it arrives (the swapped course is gone after). */
export interface PromotionNotice extends Promotion {
  readonly code: string;
  readonly swappedCode: string | null;
}

/**
 * The student's waitlists (GET /student/waitlist) and the promotions that arrive live. Positions
 * move when someone ahead leaves or is promoted, so the list is read again after every join,
 * leave and promotion, and after a reconnect (an outcome pushed while the link was down was missed).
 */
export const useWaitlistStore = defineStore('waitlist', () => {
  const entries = ref<WaitlistEntry[]>([]);
  const loaded = ref(false);
  const problem = ref<Problem | null>(null);
  /** promotions not yet acknowledged by the student, newest first */
  const promotions = ref<PromotionNotice[]>([]);
  /** codes of waitlisted courses neither the catalogue nor the timetable has loaded */
  const fetchedCodes = reactive<Record<number, string>>({});
  let started = false;

  const entryFor = (courseId: number) => entries.value.find((e) => e.courseId === courseId) ?? null;
  function knownCode(id: number): string | null {
    return (
      useCatalogueStore().courses.find((c) => c.id === id)?.code ??
      useTimetableStore().held.find((c) => c.id === id)?.code ??
      fetchedCodes[id] ??
      null
    );
  }
  const codeOf = (id: number) => knownCode(id) ?? `#${id}`;

  /** The timetable page may show waitlists before the catalogue was ever opened. */
  async function learnCodes(): Promise<void> {
    const ids = new Set(entries.value.flatMap((e) => [e.courseId, ...(e.swapFrom !== null ? [e.swapFrom] : [])]));
    const missing = [...ids].filter((id) => knownCode(id) === null);
    await Promise.all(
      missing.map(async (courseId) => {
        try {
          const res = await api().post<StudentCourseDetailResponse>('student_node', StudentRoutes.detail.url, {
            courseId,
          });
          fetchedCodes[courseId] = res.course.code;
        } catch {
          // "#id" stays: the entry is still true without its code
        }
      }),
    );
  }

  async function load(): Promise<void> {
    try {
      const res = await api().get<StudentWaitlistResponse>('student_node', StudentRoutes.waitlist.url);
      entries.value = res.entries;
      loaded.value = true;
      problem.value = null;
      await learnCodes();
    } catch (err) {
      problem.value = describeProblem(err);
    }
  }

  /** Listen for promotions and joins/leaves; idempotent. */
  function start(): void {
    if (started) return;
    started = true;
    const selection = useSelectionStore();
    selection.listen();
    selection.onPromoted((p) => {
      const notice = {
        ...p,
        code: codeOf(p.courseId),
        swappedCode: p.swappedFrom !== null ? codeOf(p.swappedFrom) : null,
      };
      if (!promotions.value.some((x) => x.ticket === p.ticket)) promotions.value = [notice, ...promotions.value];
      entries.value = entries.value.filter((e) => e.courseId !== p.courseId);
      void load();
    });
    selection.onDecided((a) => {
      if (a.action === 'join' || a.action === 'leave' || a.status === 'deselected') void load();
    });
    useLiveStore().whenReconnected('/courses', () => void load());
  }

  function dismissPromotion(ticket: number): void {
    promotions.value = promotions.value.filter((p) => p.ticket !== ticket);
  }

  function reset(): void {
    entries.value = [];
    promotions.value = [];
    for (const id of Object.keys(fetchedCodes)) delete fetchedCodes[Number(id)];
    loaded.value = false;
    problem.value = null;
    started = false;
  }

  return { entries, loaded, problem, promotions, entryFor, codeOf, load, start, dismissPromotion, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useWaitlistStore, import.meta.hot));
