import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  CourseResponse,
  CreateCourseRequest,
  DeleteCourseResponse,
  UpdateCourseRequest,
} from '@contracts/courses';
import type { CourseImportResponse, CourseImportRow } from '@contracts/course-import';
import { CourseImportRoutes } from '@contracts/routes/course-import';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { api } from '../api/instance';
import { useCoursesStore } from './courses';

/**
 * Course administration: create, edit, delete (force for a course with students) and the CSV
 * import. Each write reloads the Courses list, so what it shows is what the server holds.
 */
export const useCourseAdminStore = defineStore('course-admin', () => {
  const busy = ref(false);

  async function write<R>(fn: () => Promise<R>): Promise<R> {
    busy.value = true;
    try {
      const res = await fn();
      void useCoursesStore().load();
      return res;
    } finally {
      busy.value = false;
    }
  }

  const create = (req: CreateCourseRequest) =>
    write(async () => (await api().post<CourseResponse>('teacher_node', T.create.url, req)).course);
  const update = (req: UpdateCourseRequest) =>
    write(async () => (await api().put<CourseResponse>('teacher_node', T.update.url, req)).course);
  const remove = (courseId: number, force: boolean) =>
    write(() => api().delete<DeleteCourseResponse>('teacher_node', T.remove.url, { courseId, force }));

  /**
   * The server's verdict on rows the preview passed: `dryRun` checks codes and teachers in a
   * transaction that is rolled back; otherwise it imports (atomic: all or nothing, 409).
   */
  function importRows(courses: readonly CourseImportRow[], opts: { atomic: boolean; dryRun: boolean }) {
    const send = () =>
      api().post<CourseImportResponse>('teacher_node', CourseImportRoutes.importCourses.url, { courses, ...opts });
    return opts.dryRun ? send() : write(send);
  }

  return { busy, create, update, remove, importRows };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCourseAdminStore, import.meta.hot));
