import type { Page } from '@playwright/test';
import type { BulkCreateResponse } from '../src-backend/contracts/auth.js';
import type { TeacherCourseDetailResponse } from '../src-backend/contracts/courses.js';
import { Backend } from './support/api.js';
import { apiSignIn, createCourse, PORTAL_TOKEN_KEY } from './support/portal.js';
import { expect, test } from './support/test.js';

/**
 * Issue 15's rush through the real UI: 30 student pages select the same 20-seat course at the
 * same instant. Exactly 20 pages say "selected", the rest "full" (some after "queued"), nobody is
 * told a false thing, and every page's live seat count reaches 0 within 2 s.
 */
const PAGES = 30;
const SEATS = 20;
const PASSWORD = 'Rush-portal-pass-2026';

test('30 pages select one 20-seat course at once: 20 selected, the rest full, seats reach 0 everywhere', async ({
  browser,
}) => {
  test.setTimeout(360_000);
  const started = Date.now();
  const phase = (what: string) => console.log(`rush: ${what} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const backend = Backend.fromEnv();
  const admin = (await backend.adminLogin()).token;
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, admin);
  const course = await createCourse(backend, admin, {
    code: 'P-RUSH',
    name: 'The rush seminar',
    capacity: SEATS,
    credits: 1,
    slots: [{ day: 3, start: '18:00', end: '19:00' }],
  });
  const created = await backend.ok<BulkCreateResponse>(
    'POST',
    '/api/auth_node/admin/users/bulk',
    {
      atomic: true,
      users: Array.from({ length: PAGES }, (_, i) => ({
        role: 'student',
        username: `rush.${i}`,
        name: `Rush Student ${i}`,
        email: `rush.${i}@student.example.edu`,
        group: 'rush-2026',
        password: PASSWORD,
      })),
    },
    admin,
  );
  expect(created.created).toBe(PAGES);
  const tokens: string[] = [];
  for (const r of created.results) tokens.push((await apiSignIn(backend, r.username, PASSWORD, r.totpSecret!)).token);

  phase(`${PAGES} students signed in`);
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const pages: Page[] = [];
  try {
    for (let i = 0; i < PAGES; i += 6) {
      const batch = await Promise.all(
        tokens.slice(i, i + 6).map(async (token) => {
          const page = await context.newPage();
          await page.addInitScript({
            content: `sessionStorage.setItem(${JSON.stringify(PORTAL_TOKEN_KEY)}, ${JSON.stringify(token)});`,
          });
          await page.goto(`${backend.baseURL}/portal/courses`);
          const card = page.locator('[data-testid="course-card"][data-code="P-RUSH"]');
          await expect(card.getByTestId('seats-left')).toHaveText(String(SEATS), { timeout: 20_000 });
          return page;
        }),
      );
      pages.push(...batch);
    }
    phase(`${PAGES} pages open`);
    // every page's live link is up before the rush: the seat counts must arrive by socket
    for (const page of pages)
      await expect.poll(() => page.evaluate('document.querySelector("[data-testid=live-link]") === null')).toBe(true);

    // Each page records every phase its outcome passes through, so "queued then decided" is seen.
    const at = Date.now() + 1500;
    const arm = `(() => {
      window.__phases = [];
      new MutationObserver(() => {
        const o = document.querySelector('[data-testid="outcome"]');
        const p = o ? o.getAttribute('data-phase') + ':' + o.getAttribute('data-status') : null;
        if (p && window.__phases.at(-1) !== p) window.__phases.push(p);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
      setTimeout(() => document.querySelector('button[aria-label="Select P-RUSH"]').click(), ${at} - Date.now());
    })()`;
    await Promise.all(pages.map((page) => page.evaluate(arm)));

    const outcomes = pages.map((p) => p.getByTestId('outcome'));
    for (const o of outcomes) await expect(o).toHaveAttribute('data-phase', 'decided', { timeout: 30_000 });
    const decidedAt = Date.now();
    phase('every page shows its decision');
    const statuses = await Promise.all(outcomes.map((o) => o.getAttribute('data-status')));
    expect(statuses.filter((s) => s === 'selected').length).toBe(SEATS);
    expect(statuses.filter((s) => s === 'full').length).toBe(PAGES - SEATS);

    const phases = (await Promise.all(pages.map((p) => p.evaluate('window.__phases')))) as string[][];
    for (const seen of phases) {
      // only true states, in order: sending, maybe queued, then one decision
      expect(seen[0]).toBe('sending:');
      expect(seen.slice(1, -1).every((s) => s === 'queued:')).toBe(true);
      expect(seen.at(-1)).toMatch(/^decided:(selected|full)$/);
    }
    const queuedPages = phases.filter((s) => s.includes('queued:')).length;
    console.log(
      `rush: ${SEATS} selected, ${PAGES - SEATS} full; ${queuedPages} pages saw "queued" before the decision`,
    );

    // every page's live seat count reaches 0 within 2 s of the last decision showing
    await Promise.all(
      pages.map((page) =>
        expect(page.locator('[data-testid="course-card"][data-code="P-RUSH"]').getByTestId('seats-left')).toHaveText(
          '0',
          { timeout: Math.max(1, 2000 - (Date.now() - decidedAt)) },
        ),
      ),
    );

    const detail = await backend.ok<TeacherCourseDetailResponse>(
      'POST',
      '/api/teacher_node/teacher/course/detail',
      { courseId: course.id },
      admin,
    );
    expect(detail.course.enrolled).toBe(SEATS);
    expect(detail.students.length).toBe(SEATS);
  } finally {
    await context.close();
  }
});
