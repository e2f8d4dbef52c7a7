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
  const promotions = ref<Promotion[]>([]);
  /**
   * codes of courses neither the catalogue nor the timetable has loaded, and of promoted and
   * swapped courses taken when the promotion arrives (the swapped one leaves the timetable after)
   */
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
  async function learnCodes(ids: number[]): Promise<void> {
    const missing = new Set<number>();
    for (const id of ids) {
      const code = knownCode(id);
      if (code === null) missing.add(id);
      else fetchedCodes[id] ??= code;
    }
    await Promise.all(
      [...missing].map(async (courseId) => {
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
      await learnCodes(res.entries.flatMap((e) => (e.swapFrom !== null ? [e.courseId, e.swapFrom] : [e.courseId])));
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
      void learnCodes(p.swappedFrom !== null ? [p.courseId, p.swappedFrom] : [p.courseId]);
      if (!promotions.value.some((x) => x.ticket === p.ticket)) promotions.value = [p, ...promotions.value];
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
