import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import {
  type Course,
  type CourseResponse,
  type CreateCourseRequest,
  type EnrolledStudent,
  type RemoveStudentResponse,
  type TeacherCourseDetailResponse,
  type TeacherCoursesResponse,
  type UpdateCourseRequest,
} from '@contracts/courses';
import { TeacherRoutes } from '@contracts/routes/teacher';
import type { Notification } from '@contracts/realtime';
import { api } from '../../src/api/instance';
import { describeProblem, type Problem } from '../lib/problem';
import { ask } from './inbox';
import { useLiveStore } from './live';

export const ANNOUNCEMENT_TYPE = 'course_announcement';
const ANNOUNCE_BURST = 40;
const ANNOUNCE_GAP_MS = 60;

/**
 * A teacher's courses with live enrolment, each course's roster, and what a teacher does with
 * them: create, edit, remove a student, export the roster, announce to it.
 */
export const useTeachingStore = defineStore('teaching', () => {
  const courses = ref<Course[]>([]);
  const rosters = reactive<Record<number, EnrolledStudent[]>>({});
  const problem = ref<Problem | null>(null);
  const loaded = ref(false);
  let listening = false;
  /**
   * Totals over the live course list, not the stats snapshot from page load: a seat taken a
   * second ago must show here as it does on the course itself.
   */
  const totals = computed(() => {
    const list = courses.value;
    const capacity = list.reduce((n, c) => n + c.capacity, 0);
    const enrolled = list.reduce((n, c) => n + c.enrolled, 0);
    return {
      courseCount: list.length,
      capacity,
      enrolled,
      fillRate: capacity > 0 ? enrolled / capacity : 0,
      full: list.filter((c) => c.capacity > 0 && c.enrolled >= c.capacity).length,
    };
  });
  let stopWatching: (() => void) | null = null;

  function listen(): void {
    if (listening) return;
    listening = true;
    const live = useLiveStore();
    live.onSeats((e) => {
      const c = courses.value.find((x) => x.id === e.courseId);
      if (c) Object.assign(c, { enrolled: e.enrolled, capacity: e.capacity, seatsLeft: e.seatsLeft });
    });
    // enrolments while the link was down were never pushed: read them again
    live.whenReconnected('/courses', () => void load());
  }

  function watch(): void {
    stopWatching?.();
    stopWatching = useLiveStore().watchCourses(courses.value.map((c) => c.id));
  }

  async function load(): Promise<void> {
    listen();
    try {
      const list = await api().get<TeacherCoursesResponse>('teacher_node', TeacherRoutes.courses.url);
      courses.value = list.courses;
      loaded.value = true;
      problem.value = null;
      watch();
    } catch (err) {
      problem.value = describeProblem(err);
    }
  }

  async function loadRoster(courseId: number): Promise<Course> {
    listen();
    const res = await api().post<TeacherCourseDetailResponse>('teacher_node', TeacherRoutes.detail.url, { courseId });
    rosters[courseId] = res.students;
    const i = courses.value.findIndex((c) => c.id === courseId);
    if (i >= 0) courses.value[i] = res.course;
    else courses.value = [...courses.value, res.course];
    watch();
    return res.course;
  }

  async function create(req: CreateCourseRequest): Promise<Course> {
    const res = await api().post<CourseResponse>('teacher_node', TeacherRoutes.create.url, req);
    courses.value = [...courses.value, res.course];
    watch();
    return res.course;
  }

  async function update(req: UpdateCourseRequest): Promise<Course> {
    const res = await api().put<CourseResponse>('teacher_node', TeacherRoutes.update.url, req);
    courses.value = courses.value.map((c) => (c.id === res.course.id ? res.course : c));
    return res.course;
  }

  async function removeStudent(courseId: number, studentId: number): Promise<void> {
    const res = await api().post<RemoveStudentResponse>('teacher_node', TeacherRoutes.removeStudent.url, {
      courseId,
      studentId,
    });
    rosters[courseId] = (rosters[courseId] ?? []).filter((s) => s.id !== studentId);
    courses.value = courses.value.map((c) => (c.id === courseId ? res.course : c));
  }

  /** One notification per student on the roster, sent as this teacher. */
  async function announce(courseId: number, title: string, message: string): Promise<{ sent: number; failed: number }> {
    const course = courses.value.find((c) => c.id === courseId);
    const roster = rosters[courseId] ?? [];
    let sent = 0;
    let failed = 0;
    for (const [i, s] of roster.entries()) {
      // The realtime server allows a socket a burst of 60 messages, then 20/s: pace a big roster.
      if (i >= ANNOUNCE_BURST) await new Promise((r) => setTimeout(r, ANNOUNCE_GAP_MS));
      try {
        await ask<{ notification: Notification }>('/', 'notification:send', {
          recipientId: s.id,
          type: ANNOUNCEMENT_TYPE,
          title: course ? `${course.code}: ${title}` : title,
          message,
          metadata: { courseId },
        });
        sent++;
      } catch {
        failed++;
      }
    }
    return { sent, failed };
  }

  function reset(): void {
    courses.value = [];
    loaded.value = false;
    for (const k of Object.keys(rosters)) delete rosters[Number(k)];
    stopWatching?.();
    stopWatching = null;
    listening = false;
  }

  return {
    courses,
    totals,
    rosters,
    problem,
    loaded,
    load,
    loadRoster,
    create,
    update,
    removeStudent,
    announce,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTeachingStore, import.meta.hot));
