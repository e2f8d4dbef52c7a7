import type { BulkCreateResponse, BulkUserRow } from '../../src-backend/contracts/auth.js';
import type { Course } from '../../src-backend/contracts/courses.js';
import type { Backend } from './api.js';

/**
 * A campus that looks like one, for the screenshots and the paging tests: named teachers and
 * students in a few groups, courses with teachers, rooms and time slots, and seats partly taken
 * by real student selections. Everything goes through the same gateway routes an admin uses.
 */
const FIRST = [
  'Amelia',
  'Noah',
  'Olivia',
  'Liam',
  'Sofia',
  'Lucas',
  'Maya',
  'Ethan',
  'Chloe',
  'Mateo',
  'Aisha',
  'Leo',
  'Hana',
  'Samuel',
  'Priya',
  'Jonas',
  'Elena',
  'Omar',
  'Grace',
  'Felix',
  'Yuki',
  'Daniel',
  'Zara',
  'Theo',
  'Nina',
  'Adam',
  'Ines',
  'Victor',
  'Laila',
  'Oscar',
  'Mila',
  'Hugo',
  'Ava',
  'Ravi',
  'Clara',
  'Kofi',
];
const LAST = [
  'Novak',
  'Schmidt',
  'García',
  'Okafor',
  'Rossi',
  'Chen',
  'Kowalski',
  'Haddad',
  'Larsen',
  'Silva',
  'Tanaka',
  'Müller',
  'Dubois',
  'Patel',
  'Ivanova',
  'Moreau',
  'Bauer',
  'Kim',
  'Santos',
  'Jensen',
  'Ferrari',
  'Ali',
  'Nowak',
  'Costa',
  'Weber',
  'Yilmaz',
  'Fischer',
  'Lindqvist',
  'Brennan',
  'Sato',
  'Romero',
  'Park',
  'Meyer',
  'Adeyemi',
  'Horvat',
  'Murphy',
];
const GROUPS = ['cs-2024', 'cs-2025', 'math-2024', 'physics-2025'];
const TEACHERS: [string, string][] = [
  ['m.chen', 'Dr. Maria Chen'],
  ['j.okafor', 'Prof. James Okafor'],
  ['s.rossi', 'Dr. Sofia Rossi'],
  ['d.lindqvist', 'Prof. Daniel Lindqvist'],
];
const COURSES = [
  {
    code: 'CS101',
    name: 'Introduction to Programming',
    capacity: 12,
    credits: 4,
    day: 1,
    at: '09:00',
    room: 'Turing Hall 1.04',
  },
  {
    code: 'CS220',
    name: 'Data Structures and Algorithms',
    capacity: 10,
    credits: 5,
    day: 2,
    at: '10:30',
    room: 'Turing Hall 2.11',
  },
  { code: 'CS340', name: 'Operating Systems', capacity: 8, credits: 5, day: 3, at: '13:00', room: 'Lovelace Lab' },
  { code: 'MA150', name: 'Linear Algebra', capacity: 16, credits: 4, day: 4, at: '08:30', room: 'Noether Building A' },
  {
    code: 'MA210',
    name: 'Probability and Statistics',
    capacity: 14,
    credits: 4,
    day: 1,
    at: '14:00',
    room: 'Noether Building B',
  },
  {
    code: 'PH120',
    name: 'Classical Mechanics',
    capacity: 12,
    credits: 3,
    day: 5,
    at: '11:00',
    room: 'Curie Auditorium',
  },
];

export const SEED_STUDENT_COUNT = FIRST.length;
export const SEED_PASSWORD = 'Seeded-student-pass-1';

export interface SeededStudent {
  readonly username: string;
  readonly group: string;
  readonly totpSecret: string;
}

export interface Seeded {
  readonly students: SeededStudent[];
  readonly courses: Course[];
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase();

async function bulk(backend: Backend, token: string, users: BulkUserRow[]): Promise<BulkCreateResponse> {
  const res = await backend.ok<BulkCreateResponse>(
    'POST',
    '/api/auth_node/admin/users/bulk',
    { users, atomic: true },
    token,
  );
  if (res.created !== users.length) throw new Error(`seed: created ${res.created} of ${users.length}`);
  return res;
}

export async function seedCampus(backend: Backend, token: string): Promise<Seeded> {
  const teachers = await bulk(
    backend,
    token,
    TEACHERS.map(([username, name]) => ({
      role: 'teacher',
      username,
      name,
      email: `${username}@campus.example.edu`,
      password: SEED_PASSWORD,
    })),
  );
  const studentRows: BulkUserRow[] = FIRST.map((first, i) => {
    const last = LAST[i]!;
    const username = `${ascii(first)}.${ascii(last)}`;
    return {
      role: 'student',
      username,
      name: `${first} ${last}`,
      email: `${username}@student.example.edu`,
      group: GROUPS[i % GROUPS.length]!,
      password: SEED_PASSWORD,
    };
  });
  const created = await bulk(backend, token, studentRows);
  const students = created.results.map((r) => ({
    username: r.username,
    group: studentRows[r.row]!.group!,
    totpSecret: r.totpSecret!,
  }));

  const courses: Course[] = [];
  for (const [i, c] of COURSES.entries()) {
    const [h, m] = c.at.split(':').map(Number) as [number, number];
    const endMin = h * 60 + m + 90;
    const end = `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
    const { course } = await backend.ok<{ course: Course }>(
      'POST',
      '/api/teacher_node/teacher/course/create',
      {
        code: c.code,
        name: c.name,
        capacity: c.capacity,
        credits: c.credits,
        slots: [{ day: c.day, start: c.at, end }],
        location: c.room,
        allowedGroups: [],
        teacherId: teachers.results[i % teachers.results.length]!.id,
      },
      token,
    );
    courses.push(course);
  }
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);
  return { students, courses };
}

/** A seeded student signs in (password + TOTP) and selects these courses. */
export async function selectCourses(backend: Backend, student: SeededStudent, courses: Course[]): Promise<void> {
  const { token } = await backend.studentLogin(student.username, SEED_PASSWORD, student.totpSecret);
  for (const c of courses) {
    const res = await backend.call('POST', '/api/student_node/student/course/select', { courseId: c.id }, token);
    if (res.status !== 200 && res.status !== 202)
      throw new Error(`seed: ${student.username} selecting ${c.code} → ${res.status} ${JSON.stringify(res.body)}`);
  }
}
