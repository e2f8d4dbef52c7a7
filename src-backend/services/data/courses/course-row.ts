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
  waitlist_enabled: number;
  waitlist_cap: number | null;
  waitlisted: number;
  override_seats: number;
  reserved_seats: number;
  created_at: string;
  updated_at: string;
}

/**
 * Seats an unreleased reservation still holds: its seats less the enrolled students it covers
 * (its group's members and its listed students), never below 0. `r` is the reservations row.
 */
export const RESERVATION_USED_SQL = `(SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.student_id
  WHERE e.course_id = r.course_id AND (u.user_group = r.group_name
    OR EXISTS (SELECT 1 FROM reservation_students rs WHERE rs.reservation_id = r.id AND rs.student_id = e.student_id)))`;
export const RESERVED_SEATS_SQL = `(SELECT COALESCE(SUM(MAX(0, r.seats - ${RESERVATION_USED_SQL})), 0)
  FROM reservations r WHERE r.course_id = c.id AND r.released_at IS NULL)`;

export const COURSE_COLUMNS = `c.id, c.code, c.name, c.teacher_id, t.name AS teacher_name, c.capacity, c.enrolled,
  c.credits, c.slots, c.location, c.description, c.allowed_groups, c.waitlist_enabled, c.waitlist_cap,
  c.override_seats, (SELECT count(*) FROM waitlist_entries w WHERE w.course_id = c.id) AS waitlisted,
  ${RESERVED_SEATS_SQL} AS reserved_seats, c.created_at, c.updated_at`;
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
    seatsLeft: seatsLeft(row.capacity, row.override_seats, row.enrolled, row.reserved_seats),
    credits: row.credits,
    slots: JSON.parse(row.slots) as Slot[],
    location: row.location,
    description: row.description,
    allowedGroups: JSON.parse(row.allowed_groups) as string[],
    waitlistEnabled: row.waitlist_enabled === 1,
    waitlistCap: row.waitlist_cap,
    waitlisted: row.waitlisted,
    reservedSeats: row.reserved_seats,
    overrideSeats: row.override_seats,
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

/** Seats anyone may take: capacity plus granted overrides, less the enrolled and the seats reservations hold. */
export function seatsLeft(capacity: number, overrideSeats: number, enrolled: number, reserved: number): number {
  return Math.max(0, capacity + overrideSeats - enrolled - reserved);
}
