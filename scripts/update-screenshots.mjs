// Copies the README's screenshots from the last Playwright run (e2e/artifacts, untracked because
// every run rewrites them with new pids and times) into docs/screenshots, which is tracked.
import { copyFileSync, existsSync, statSync } from 'node:fs';

const VIEWS = [
  'login',
  'status',
  'users',
  'users-added-student',
  'users-csv-preview',
  'codes',
  'courses',
  'logs',
  'throttler',
  'notifications',
  'audit',
  // e2e 40 (registration day)
  'board',
  'course-page',
  'courses-csv-preview',
  // the student and teacher portal (e2e/20-22-portal-*.spec.ts), at phone and desktop widths
  ...['signin', 'enrol', 'catalogue', 'timetable', 'inbox', 'chat', 'teacher-courses', 'teacher-course'].flatMap(
    (p) => [`portal-${p}-phone`, `portal-${p}-desktop`],
  ),
];
const missing = VIEWS.filter(
  (v) => !existsSync(`e2e/artifacts/${v}.png`) || statSync(`e2e/artifacts/${v}.png`).size === 0,
);
if (missing.length) {
  console.error(`no screenshot for ${missing.join(', ')}: run npx playwright test first`);
  process.exit(1);
}
for (const v of VIEWS) copyFileSync(`e2e/artifacts/${v}.png`, `docs/screenshots/${v}.png`);
console.log(`copied ${VIEWS.length} screenshots to docs/screenshots`);
