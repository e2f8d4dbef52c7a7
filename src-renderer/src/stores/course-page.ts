import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type {
  Course,
  EnrolledStudent,
  SelectionDecided,
  SelectionQueued,
  TeacherCourseDetailResponse,
} from '@contracts/courses';
import type {
  AdminEnrollRequest,
  CourseWaitlistEntry,
  CourseWaitlistResponse,
  CreateReservationRequest,
  EnrollmentLogEntry,
  EnrollmentLogPage,
  Reservation,
  ReservationListResponse,
  ReservationResponse,
  UpdateReservationRequest,
} from '@contracts/registrar';
import { csvText } from '@contracts/csv-cell';
import { AuthPaths } from '@contracts/routes/auth';
import type { AuthUser, UserPage } from '@contracts/auth';
import { withQuery } from '../api/client';
import { pathOf } from '@contracts/route';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';

/** The roster CSV's columns, in order. */
export const ROSTER_COLUMNS = ['id', 'username', 'name', 'group', 'enrolledAt'] as const;
const LOG_PAGE = 100;

type Part = 'roster' | 'waitlist' | 'reservations' | 'log';

/**
 * One course's page: its roster, waitlist, reservations and change log, each loaded on its own
 * so one failing part says so without hiding the others. Every write reloads what it changed.
 */
export const useCoursePageStore = defineStore('course-page', () => {
  const courseId = ref<number | null>(null);
  const course = shallowRef<Course | null>(null);
  const roster = shallowRef<EnrolledStudent[]>([]);
  const waitlist = shallowRef<CourseWaitlistEntry[]>([]);
  const reservations = shallowRef<Reservation[]>([]);
  const log = shallowRef<EnrollmentLogEntry[]>([]);
  const logMore = ref<number | null>(null);
  const errors = ref<Record<Part, string | null>>({ roster: null, waitlist: null, reservations: null, log: null });
  const loadedAt = ref(0);

  async function part(name: Part, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      errors.value = { ...errors.value, [name]: null };
    } catch (err) {
      errors.value = { ...errors.value, [name]: errorMessage(err) };
    }
  }

  const id = (): number => {
    if (courseId.value === null) throw new Error('no course open');
    return courseId.value;
  };

  const loadRoster = () =>
    part('roster', async () => {
      const res = await api().post<TeacherCourseDetailResponse>('teacher_node', T.detail.url, { courseId: id() });
      course.value = res.course;
      roster.value = res.students;
    });
  const loadWaitlist = () =>
    part('waitlist', async () => {
      const res = await api().get<CourseWaitlistResponse>(
        'teacher_node',
        pathOf(T.courseWaitlist, {}, { courseId: id() }),
      );
      waitlist.value = res.entries;
    });
  const loadReservations = () =>
    part('reservations', async () => {
      const res = await api().get<ReservationListResponse>(
        'teacher_node',
        pathOf(T.reservations, {}, { courseId: id() }),
      );
      reservations.value = res.reservations;
    });
  const loadLog = (more = false) =>
    part('log', async () => {
      const before = more ? logMore.value : null;
      const res = await api().get<EnrollmentLogPage>(
        'teacher_node',
        pathOf(T.enrollmentLog, {}, { courseId: id(), limit: LOG_PAGE, beforeId: before ?? undefined }),
      );
      log.value = more ? [...log.value, ...res.entries] : res.entries;
      logMore.value = res.nextBeforeId;
    });

  async function open(idToOpen: number): Promise<void> {
    if (courseId.value !== idToOpen) {
      course.value = null;
      roster.value = [];
      waitlist.value = [];
      reservations.value = [];
      log.value = [];
    }
    courseId.value = idToOpen;
    await reload();
  }

  async function reload(): Promise<void> {
    await Promise.all([loadRoster(), loadWaitlist(), loadReservations(), loadLog()]);
    loadedAt.value = Date.now();
  }

  async function removeStudent(studentId: number): Promise<void> {
    await api().post('teacher_node', T.removeStudent.url, { courseId: id(), studentId });
    // A freed seat may promote the head of the waitlist in the same transaction.
    await Promise.all([loadRoster(), loadWaitlist(), loadLog()]);
  }

  /** Staff enrolment through the queue; the answer is the queue's decision (or 202 queued). */
  async function enroll(req: Omit<AdminEnrollRequest, 'courseId'>): Promise<SelectionDecided | SelectionQueued> {
    const res = await api().post<SelectionDecided | SelectionQueued>('teacher_node', T.enroll.url, {
      ...req,
      courseId: id(),
    });
    await Promise.all([loadRoster(), loadWaitlist(), loadLog()]);
    return res;
  }

  async function removeFromWaitlist(studentId: number, reason?: string): Promise<void> {
    await api().post('teacher_node', T.removeFromWaitlist.url, {
      courseId: id(),
      studentId,
      ...(reason ? { reason } : {}),
    });
    await Promise.all([loadWaitlist(), loadLog()]);
  }

  async function createReservation(req: Omit<CreateReservationRequest, 'courseId'>): Promise<Reservation> {
    const res = await api().post<ReservationResponse>('teacher_node', T.createReservation.url, {
      ...req,
      courseId: id(),
    });
    await Promise.all([loadReservations(), loadRoster()]);
    return res.reservation;
  }

  async function updateReservation(rid: number, req: UpdateReservationRequest): Promise<Reservation> {
    const res = await api().put<ReservationResponse>('teacher_node', pathOf(T.updateReservation, { id: rid }), req);
    await Promise.all([loadReservations(), loadRoster(), loadWaitlist()]);
    return res.reservation;
  }

  async function deleteReservation(rid: number): Promise<void> {
    await api().delete('teacher_node', pathOf(T.deleteReservation, { id: rid }));
    await Promise.all([loadReservations(), loadRoster(), loadWaitlist()]);
  }

  /** The student a username names (exactly, any case), or null. */
  async function findStudent(username: string): Promise<AuthUser | null> {
    const page = await api().get<UserPage>(
      'auth_node',
      withQuery(AuthPaths.users, { role: 'student', search: username.trim(), pageSize: 50 }),
    );
    return page.items.find((u) => u.username.toLowerCase() === username.trim().toLowerCase()) ?? null;
  }

  /** The roster as formula-safe CSV (contracts/csv-cell.ts), in enrolment order. */
  function rosterCsv(): string {
    return csvText(
      ROSTER_COLUMNS,
      roster.value.map((s) => ROSTER_COLUMNS.map((c) => s[c])),
    );
  }

  return {
    courseId,
    course,
    roster,
    waitlist,
    reservations,
    log,
    logMore,
    errors,
    loadedAt,
    open,
    reload,
    loadLog,
    removeStudent,
    enroll,
    removeFromWaitlist,
    createReservation,
    updateReservation,
    deleteReservation,
    rosterCsv,
    findStudent,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCoursePageStore, import.meta.hot));
