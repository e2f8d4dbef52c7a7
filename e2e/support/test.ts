import { test as base, expect } from '@playwright/test';

/**
 * Playwright's test with one automatic check: the console must run under the gateway's strict
 * CSP without a single violation (no inline script or style, nothing from elsewhere), and
 * without uncaught page errors.
 */
export const test = base.extend<{ pageProblems: string[] }>({
  baseURL: async ({}, use) => use(process.env.E2E_BASE_URL),
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      await use(problems);
      expect(problems, 'CSP violations or uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
