import type { Course } from '@contracts/courses';

/** A course as the API answers it, for store tests: one place to add a field the contract gains. */
export const courseFor = (id: number, over: Partial<Course> = {}): Course => ({
  id,
  code: `C${id}`,
  name: `Course ${id}`,
  teacherId: null,
  teacherName: null,
  capacity: 10,
  enrolled: 0,
  seatsLeft: 10,
  credits: 3,
  slots: [],
  location: '',
  description: '',
  allowedGroups: [],
  waitlistEnabled: true,
  waitlistCap: null,
  waitlisted: 0,
  reservedSeats: 0,
  overrideSeats: 0,
  createdAt: '',
  updatedAt: '',
  ...over,
});
