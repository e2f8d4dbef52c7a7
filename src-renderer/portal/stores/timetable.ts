import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { EnrollmentLogPage, LogAction, LogStatus } from '@contracts/registrar';
import {
  type QueueStatusResponse,
  type ScheduleEntry,
  type ScheduleResponse,
  type SelectedCoursesResponse,
} from '@contracts/courses';
import { StudentRoutes } from '@contracts/routes/student';
import { withQuery } from '../../src/api/client';
import { api } from '../../src/api/instance';
import { describeProblem, type Problem } from '../lib/problem';

type HeldCourse = SelectedCoursesResponse['courses'][number];

/**
 * One line of "Your requests": a request still in the queue (no status yet, its place in line),
 * or an entry of the student's change log, which also records what happened without a click:
 * promoted from a waitlist, swapped out for it, skipped, removed by staff.
 */
export interface HistoryRow {
  readonly key: string;
  readonly at: string;
  readonly courseId: number;
  readonly courseCode: string | null;
  readonly action: LogAction;
  readonly status: LogStatus | null;
  readonly position: number | null;
  /** the other course of a swap */
  readonly relatedCourseId: number | null;
  readonly reason: string | null;
}

const HISTORY_LIMIT = 100;

/** The student's week: the courses they hold, their meetings, credits against the limit, and every request they made. */
export const useTimetableStore = defineStore('timetable', () => {
  const entries = ref<ScheduleEntry[]>([]);
  const held = ref<HeldCourse[]>([]);
  const totalCredits = ref(0);
  const creditLimit = ref(0);
  const history = ref<HistoryRow[]>([]);
  const loaded = ref(false);
  const problem = ref<Problem | null>(null);

  const byDay = computed(() => {
    const days: Record<number, ScheduleEntry[]> = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
    for (const e of entries.value) days[e.day]?.push(e);
    for (const list of Object.values(days)) list.sort((a, b) => a.start.localeCompare(b.start));
    return days;
  });
  const overLimit = computed(() => totalCredits.value > creditLimit.value);
  /** teachers of held courses, for the chat's contact list */
  const teachers = computed(() => {
    const seen = new Map<number, string>();
    for (const c of held.value)
      if (c.teacherId !== null) seen.set(c.teacherId, c.teacherName ?? `Teacher ${c.teacherId}`);
    return [...seen].map(([id, name]) => ({ id, name }));
  });

  async function load(): Promise<void> {
    try {
      const [schedule, selected, queue, log] = await Promise.all([
        api().get<ScheduleResponse>('student_node', StudentRoutes.schedule.url),
        api().get<SelectedCoursesResponse>('student_node', StudentRoutes.selected.url),
        api().get<QueueStatusResponse>('student_node', StudentRoutes.queueStatus.url),
        api().get<EnrollmentLogPage>('student_node', withQuery(StudentRoutes.history.url, { limit: HISTORY_LIMIT })),
      ]);
      entries.value = schedule.entries;
      held.value = selected.courses;
      totalCredits.value = selected.totalCredits;
      creditLimit.value = selected.creditLimit;
      // decided requests are in the log; only the undecided ones come from the queue
      const pending: HistoryRow[] = queue.tickets
        .filter((t) => t.status === null)
        .map((t) => ({
          key: `q${t.ticket}`,
          at: t.createdAt,
          courseId: t.courseId,
          courseCode: t.courseCode,
          action: t.action,
          status: null,
          position: t.position,
          relatedCourseId: null,
          reason: null,
        }));
      const logged: HistoryRow[] = log.entries.map((e) => ({
        key: `l${e.id}`,
        at: e.at,
        courseId: e.courseId,
        courseCode: e.courseCode,
        action: e.action,
        status: e.status,
        position: null,
        relatedCourseId: e.relatedCourseId,
        reason: e.reason,
      }));
      history.value = [...pending, ...logged];
      loaded.value = true;
      problem.value = null;
    } catch (err) {
      problem.value = describeProblem(err);
    }
  }

  function reset(): void {
    entries.value = [];
    held.value = [];
    history.value = [];
    loaded.value = false;
  }

  return {
    entries,
    held,
    totalCredits,
    creditLimit,
    history,
    loaded,
    problem,
    byDay,
    overLimit,
    teachers,
    load,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTimetableStore, import.meta.hot));
