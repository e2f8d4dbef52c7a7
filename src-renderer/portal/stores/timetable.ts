import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  type QueueTicket,
  type QueueStatusResponse,
  type ScheduleEntry,
  type ScheduleResponse,
  type SelectedCoursesResponse,
} from '@contracts/courses';
import { StudentRoutes } from '@contracts/routes/student';
import { api } from '../../src/api/instance';
import { describeProblem, type Problem } from '../lib/problem';

type HeldCourse = SelectedCoursesResponse['courses'][number];

/** The student's week: the courses they hold, their meetings, credits against the limit, and every request they made. */
export const useTimetableStore = defineStore('timetable', () => {
  const entries = ref<ScheduleEntry[]>([]);
  const held = ref<HeldCourse[]>([]);
  const totalCredits = ref(0);
  const creditLimit = ref(0);
  const history = ref<QueueTicket[]>([]);
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
      const [schedule, selected, queue] = await Promise.all([
        api().get<ScheduleResponse>('student_node', StudentRoutes.schedule.url),
        api().get<SelectedCoursesResponse>('student_node', StudentRoutes.selected.url),
        api().get<QueueStatusResponse>('student_node', StudentRoutes.queueStatus.url),
      ]);
      entries.value = schedule.entries;
      held.value = selected.courses;
      totalCredits.value = selected.totalCredits;
      creditLimit.value = selected.creditLimit;
      history.value = queue.tickets;
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
