import type { Course, Slot } from '../../../contracts/courses.js';

/** A `courses` row joined with its teacher's name. */
export interface CourseRow {
  id: number;
  code: string;
  name: string;
  teacher_id: number | null;
  teacher_name: string | null;
  capacity: number;
  enrolled: number;
  credits: number;
  slots: string;
  location: string;
  description: string;
  allowed_groups: string;
  created_at: string;
  updated_at: string;
}

export const COURSE_COLUMNS = `c.id, c.code, c.name, c.teacher_id, t.name AS teacher_name, c.capacity, c.enrolled,
  c.credits, c.slots, c.location, c.description, c.allowed_groups, c.created_at, c.updated_at`;
export const COURSE_FROM = `FROM courses c LEFT JOIN users t ON t.id = c.teacher_id`;

export function toCourse(row: CourseRow): Course {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    teacherId: row.teacher_id,
    teacherName: row.teacher_name,
    capacity: row.capacity,
    enrolled: row.enrolled,
    seatsLeft: Math.max(0, row.capacity - row.enrolled),
    credits: row.credits,
    slots: JSON.parse(row.slots) as Slot[],
    location: row.location,
    description: row.description,
    allowedGroups: JSON.parse(row.allowed_groups) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Empty allow-list: open to all. A student without a group only sees open-to-all courses. */
export function openToGroup(allowedGroups: readonly string[], group: string | null): boolean {
  return allowedGroups.length === 0 || (group !== null && allowedGroups.includes(group));
}

/** `search` as a LIKE pattern with its own %, _ and \ taken literally (ESCAPE '\'). */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
