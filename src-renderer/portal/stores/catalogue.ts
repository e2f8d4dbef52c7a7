import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { type AvailableCoursesRequest, type AvailableCoursesResponse, type StudentCourse } from '@contracts/courses';
import type { StudentWindow } from '@contracts/registrar';
import { StudentRoutes } from '@contracts/routes/student';
import type { CourseSeatsEvent } from '@contracts/realtime';
import { api } from '../../src/api/instance';
import { describeProblem, type Problem } from '../lib/problem';
import { useLiveStore } from './live';

export interface CatalogueFilters {
  search: string;
  /** 1 = Monday … 7 = Sunday; null = any day */
  day: number | null;
  credits: number | null;
  /** only courses this student could take now: open to their group, seats left, no clash, not held */
  openToMe: boolean;
}

/**
 * The course catalogue as one student sees it: the server filters by search, day and credits;
 * "open to me" is decided here from the flags the server computed for this student. Seats come
 * live from the `/courses` namespace, so the number on screen is the number in the database a
 * moment ago, not when the page loaded.
 */
export const useCatalogueStore = defineStore('catalogue', () => {
  const courses = ref<StudentCourse[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const loaded = ref(false);
  const problem = ref<Problem | null>(null);
  const filters = reactive<CatalogueFilters>({ search: '', day: null, credits: null, openToMe: false });
  /** live seat counts by course id, newer than the list */
  const seats = reactive<Record<number, Pick<CourseSeatsEvent, 'seatsLeft' | 'enrolled' | 'capacity'>>>({});
  const window = ref<StudentWindow | null>(null);
  /** server time minus local time, so the countdown follows the server's clock */
  const clockSkewMs = ref(0);
  let listening = false;
  let stopWatching: (() => void) | null = null;

  const seatsLeft = (c: StudentCourse) => seats[c.id]?.seatsLeft ?? c.seatsLeft;
  const enrolled = (c: StudentCourse) => seats[c.id]?.enrolled ?? c.enrolled;
  const codeOf = (id: number) => courses.value.find((c) => c.id === id)?.code ?? `#${id}`;

  const visible = computed(() =>
    filters.openToMe
      ? courses.value.filter((c) => c.openToYou && !c.selected && !c.conflict && seatsLeft(c) > 0)
      : courses.value,
  );

  function listen(): void {
    if (listening) return;
    listening = true;
    const live = useLiveStore();
    live.onSeats((e) => (seats[e.courseId] = { seatsLeft: e.seatsLeft, enrolled: e.enrolled, capacity: e.capacity }));
    // seats taken while the link was down were never pushed: read them again
    live.whenReconnected('/courses', () => void load());
  }

  async function load(): Promise<void> {
    listen();
    loading.value = true;
    try {
      const req: AvailableCoursesRequest = { limit: 500 };
      if (filters.search.trim()) req.search = filters.search.trim();
      if (filters.day !== null) req.day = filters.day;
      if (filters.credits !== null) req.credits = filters.credits;
      const res = await api().post<AvailableCoursesResponse>('student_node', StudentRoutes.available.url, req);
      courses.value = res.courses;
      total.value = res.total;
      for (const c of res.courses) seats[c.id] = { seatsLeft: c.seatsLeft, enrolled: c.enrolled, capacity: c.capacity };
      problem.value = null;
      loaded.value = true;
      stopWatching?.();
      stopWatching = useLiveStore().watchCourses(res.courses.map((c) => c.id));
    } catch (err) {
      problem.value = describeProblem(err);
    } finally {
      loading.value = false;
    }
  }

  async function loadWindow(): Promise<void> {
    try {
      // the student's own window: their group's time ticket when it has one
      const w = await api().get<StudentWindow>('student_node', StudentRoutes.window.url);
      clockSkewMs.value = Date.parse(w.now) - Date.now();
      window.value = w;
    } catch {
      // The countdown is a help, not the answer: the queue's own "window closed" still shows.
    }
  }

  /** Re-read the list after a decision: conflicts and "selected" changed with it. */
  function markHeld(courseId: number, held: boolean): void {
    const c = courses.value.find((x) => x.id === courseId);
    if (c) c.selected = held;
  }

  function reset(): void {
    courses.value = [];
    loaded.value = false;
    stopWatching?.();
    stopWatching = null;
    listening = false;
  }

  return {
    courses,
    total,
    loading,
    loaded,
    problem,
    filters,
    seats,
    window,
    clockSkewMs,
    visible,
    seatsLeft,
    enrolled,
    codeOf,
    load,
    loadWindow,
    markHeld,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCatalogueStore, import.meta.hot));
