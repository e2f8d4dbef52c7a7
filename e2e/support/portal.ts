import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import path from 'node:path';
import type { GeneratedCode, LoginResponse } from '../../src-backend/contracts/auth.js';
import type { Course, CreateCourseRequest } from '../../src-backend/contracts/courses.js';
import type { Backend } from './api.js';
import { ARTIFACTS } from './console.js';

/** Where the portal keeps its session (src-renderer/portal/stores/account.ts). */
export const PORTAL_TOKEN_KEY = 'csc.portal.session';

/** Phone and desktop: every portal page is checked and photographed at both. */
export const WIDTHS = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } } as const;

const lastStep = new Map<string, number>();

/**
 * A current TOTP code that was not used before in this run: the server refuses a code twice
 * (replay), so a second sign-in of the same account waits for the next 30-second step.
 */
export async function freshCode(secret: string): Promise<string> {
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' });
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if ((lastStep.get(secret) ?? -1) < step) {
      lastStep.set(secret, step);
      return totp.generate();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function registrationCode(
  backend: Backend,
  adminToken: string,
  userType: 'student' | 'teacher',
  group?: string,
): Promise<string> {
  const res = await backend.ok<GeneratedCode>(
    'POST',
    '/api/auth_node/generate/registration-code',
    { userType, maxUses: 5, ...(group ? { group } : {}) },
    adminToken,
  );
  return res.code;
}

export async function createCourse(
  backend: Backend,
  token: string,
  course: Partial<CreateCourseRequest> & { code: string },
): Promise<Course> {
  const res = await backend.ok<{ course: Course }>(
    'POST',
    '/api/teacher_node/teacher/course/create',
    {
      name: `Course ${course.code}`,
      capacity: 10,
      credits: 3,
      slots: [],
      location: 'Room 1',
      allowedGroups: [],
      ...course,
    },
    token,
  );
  return res.course;
}

/** Opens the selection window and creates each course; answers them by the same keys. */
export async function openWindowWithCourses<K extends string>(
  backend: Backend,
  token: string,
  specs: Record<K, Partial<CreateCourseRequest> & { code: string }>,
): Promise<Record<K, Course>> {
  await backend.ok('POST', '/api/teacher_node/admin/selection-window/open', {}, token);
  const out = {} as Record<K, Course>;
  for (const key of Object.keys(specs) as K[]) out[key] = await createCourse(backend, token, specs[key]);
  return out;
}

/** A real sign-in (password + a fresh TOTP code) through the API. */
export async function apiSignIn(
  backend: Backend,
  username: string,
  password: string,
  secret: string,
): Promise<LoginResponse> {
  return backend.ok<LoginResponse>('POST', '/api/auth_node/login', {
    username,
    password,
    totp: await freshCode(secret),
  });
}

/** Open a portal page already signed in with a token minted by the real sign-in route. */
export async function openPortalAs(page: Page, backend: Backend, token: string, route = '/courses'): Promise<void> {
  await page.addInitScript({
    content: `sessionStorage.setItem(${JSON.stringify(PORTAL_TOKEN_KEY)}, ${JSON.stringify(token)});`,
  });
  await page.goto(`${backend.baseURL}/portal${route}`);
  await expect(page.getByRole('navigation', { name: 'Portal sections' })).toBeVisible();
}

/** WCAG 2.2 AA: axe must find nothing on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const res = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = res.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe violations on ${what}`).toEqual([]);
}

/** The page at both widths: no sideways scrolling, accessible, and a screenshot of each. */
export async function checkAtBothWidths(page: Page, name: string): Promise<void> {
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150); // let the layout settle
    const { scroll, viewport } = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    )) as { scroll: number; viewport: number };
    expect(scroll, `${name} at ${label} width scrolls sideways`).toBeLessThanOrEqual(viewport);
    await expectAccessible(page, `${name} (${label})`);
    await page.screenshot({ path: path.join(ARTIFACTS, `portal-${name}-${label}.png`), fullPage: label === 'phone' });
  }
}
