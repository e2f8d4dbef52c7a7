import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import {
  type Course,
  type CourseListResponse,
  type SelectionWindow,
  type SetSelectionWindowRequest,
} from '@contracts/courses';
import { DATA_COURSE_PATHS } from '@contracts/routes/data-courses';
import { ADMIN_COURSE_PATHS } from '@contracts/routes/teacher';
import type { AdminEvent, CourseSeatsEvent } from '@contracts/realtime';
import type { UserPage } from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import { api } from '../api/instance';
import { withQuery } from '../api/client';
import { errorMessage } from '../api/api-error';
import type { RealtimeSocket } from '../api/realtime';
import { useRealtimeStore } from './realtime';

/** The course-watch payload allows 500 ids per call. */
const WATCH_CHUNK = 500;

export interface SeatFill {
  enrolled: number;
  capacity: number;
  seatsLeft: number;
  /** when the last live update for this course arrived, to flash the row */
  at: number;
}

/** Courses with live seat counts from /courses, and the selection window. */
export const useCoursesStore = defineStore('courses', () => {
  const courses = shallowRef<Course[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const search = ref('');
  /** live seat counts by course id; overrides the list's numbers */
  const seats = reactive(new Map<number, SeatFill>());
  const window_ = ref<SelectionWindow | null>(null);
  const windowError = ref<string | null>(null);
  const liveUpdates = ref(0);
  let watchedOn: RealtimeSocket<'/courses'> | null = null;
  let adminOn: RealtimeSocket<'/admin'> | null = null;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  /** A bulk delete sends one event per user: one reload for the lot. */
  function reloadSoon(): void {
    reloadTimer ??= setTimeout(() => {
      reloadTimer = null;
      void load();
    }, 200);
  }

  const totals = computed(() => {
    let capacity = 0;
    let enrolled = 0;
    for (const c of courses.value) {
      const s = seats.get(c.id);
      capacity += s?.capacity ?? c.capacity;
      enrolled += s?.enrolled ?? c.enrolled;
    }
    return { capacity, enrolled, fill: capacity ? enrolled / capacity : 0 };
  });

  function fill(c: Course): SeatFill {
    return seats.get(c.id) ?? { enrolled: c.enrolled, capacity: c.capacity, seatsLeft: c.seatsLeft, at: 0 };
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const res = await api().get<CourseListResponse>(
        'data_node',
        withQuery(DATA_COURSE_PATHS.list, { search: search.value.trim() }),
      );
      courses.value = res.courses;
      seats.clear();
      error.value = null;
      watchSeats();
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  async function loadWindow(): Promise<void> {
    try {
      window_.value = await api().get<SelectionWindow>('teacher_node', ADMIN_COURSE_PATHS.window);
      windowError.value = null;
    } catch (err) {
      windowError.value = errorMessage(err);
    }
  }

  /** How many students a window change affects (the user list's total), for the confirmation. */
  async function studentCount(): Promise<number | null> {
    try {
      const res = await api().get<UserPage>('auth_node', withQuery(AuthPaths.users, { role: 'student', pageSize: 1 }));
      return res.total;
    } catch {
      return null;
    }
  }

  async function openWindow(): Promise<void> {
    window_.value = await api().post<SelectionWindow>('teacher_node', ADMIN_COURSE_PATHS.openWindow, {});
  }

  async function closeWindow(): Promise<void> {
    window_.value = await api().post<SelectionWindow>('teacher_node', ADMIN_COURSE_PATHS.closeWindow, {});
  }

  async function scheduleWindow(req: SetSelectionWindowRequest): Promise<void> {
    window_.value = await api().put<SelectionWindow>('teacher_node', ADMIN_COURSE_PATHS.window, req);
  }

  function onSeats(e: CourseSeatsEvent): void {
    if (typeof e?.courseId !== 'number') return;
    seats.set(e.courseId, { enrolled: e.enrolled, capacity: e.capacity, seatsLeft: e.seatsLeft, at: Date.now() });
    liveUpdates.value++;
  }

  function sendWatch(s: RealtimeSocket<'/courses'>): void {
    const ids = courses.value.map((c) => c.id);
    for (let i = 0; i < ids.length; i += WATCH_CHUNK)
      s.emit('course:watch', { courseIds: ids.slice(i, i + WATCH_CHUNK) });
  }

  /** Join every listed course's room; again after each reconnect, since rooms do not survive one. */
  function watchSeats(): void {
    const realtime = useRealtimeStore();
    const s = realtime.socket('/courses');
    if (s !== watchedOn) {
      watchedOn = s;
      s.on('course:seats', onSeats);
      s.on('connect', () => sendWatch(s));
      // Seat counts that moved while the link was down: read the list again.
      realtime.onReconnect('/courses', () => void load());
    }
    if (s.connected) sendWatch(s);
  }

  function listenAdmin(): void {
    const realtime = useRealtimeStore();
    const s = realtime.socket('/admin');
    if (s === adminOn) return;
    adminOn = s;
    realtime.onReconnect('/admin', () => void loadWindow());
    s.on('admin_event', (e: AdminEvent) => {
      if (e.type === 'selection_window') void loadWindow();
      // A deleted student frees every seat they held; a course created, edited or deleted
      // elsewhere has no room we watch yet. Either way the list is read again.
      if (e.type === 'user_deleted' || e.type === 'course_changed') reloadSoon();
    });
  }

  return {
    courses,
    loading,
    error,
    search,
    seats,
    window: window_,
    windowError,
    liveUpdates,
    totals,
    fill,
    load,
    loadWindow,
    openWindow,
    closeWindow,
    scheduleWindow,
    studentCount,
    onSeats,
    listenAdmin,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCoursesStore, import.meta.hot));
