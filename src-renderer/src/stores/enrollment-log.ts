import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive, ref, shallowRef } from 'vue';
import {
  ENROLLMENT_LOG_CSV_COLUMNS,
  type EnrollmentLogEntry,
  type EnrollmentLogPage,
  type LogStatus,
} from '@contracts/registrar';
import { csvText } from '@contracts/csv-cell';
import { pathOf } from '@contracts/route';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';

export interface LogFilter {
  studentId: number | null;
  courseId: number | null;
  status: LogStatus | '';
}

const PAGE = 200;

/** The enrollment change log, filtered by student, course and status, newest first, paged. */
export const useEnrollmentLogStore = defineStore('enrollment-log', () => {
  const filter = reactive<LogFilter>({ studentId: null, courseId: null, status: '' });
  const entries = shallowRef<EnrollmentLogEntry[]>([]);
  const nextBeforeId = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const loadedAt = ref(0);

  async function load(more = false): Promise<void> {
    loading.value = true;
    try {
      const page = await api().get<EnrollmentLogPage>(
        'teacher_node',
        pathOf(
          T.enrollmentLog,
          {},
          {
            studentId: filter.studentId ?? undefined,
            courseId: filter.courseId ?? undefined,
            status: filter.status || undefined,
            limit: PAGE,
            beforeId: more ? (nextBeforeId.value ?? undefined) : undefined,
          },
        ),
      );
      entries.value = more ? [...entries.value, ...page.entries] : page.entries;
      nextBeforeId.value = page.nextBeforeId;
      error.value = null;
      loadedAt.value = Date.now();
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** The loaded entries as formula-safe CSV, the server's own column order. */
  function toCsv(): string {
    return csvText(
      ENROLLMENT_LOG_CSV_COLUMNS,
      entries.value.map((e) => ENROLLMENT_LOG_CSV_COLUMNS.map((c) => e[c])),
    );
  }

  return { filter, entries, nextBeforeId, loading, error, loadedAt, load, toCsv };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useEnrollmentLogStore, import.meta.hot));
