import { expect, test } from './support/test.js';
import { Backend } from './support/api.js';
import { expectNoSidewaysScroll, openSignedIn, screenshot } from './support/console.js';

const VIEWS = [
  'Status',
  'Users',
  'Codes',
  'Courses',
  'Logs',
  'Throttler',
  'Notifications',
  'Audit',
  'Board',
  'Time tickets',
  'Change log',
];

test.use({ viewport: { width: 800, height: 800 } });

test('at 800 px the nav collapses to a rail and no view scrolls sideways', async ({ page }) => {
  // A code in the list, so the Codes table has rows to be too wide with.
  await openSignedIn(page, Backend.fromEnv(), '/codes');
  await page.getByTestId('code-generate').click();
  await expect(page.getByTestId('code-row').first()).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Console sections' });
  expect((await nav.boundingBox())!.width).toBeLessThanOrEqual(80);
  // the rail shows the short labels only: no full name spills out of its link
  const spilling = await nav
    .getByRole('link')
    .evaluateAll((links) => links.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
  expect(spilling).toEqual([]);
  for (const name of VIEWS) {
    await nav.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page, 800, name);
    if (name === 'Status') {
      // The actions stay in view, not behind a sideways scroll.
      await expect(page.getByRole('button', { name: 'Restart Realtime', exact: true })).toBeInViewport();
    }
    if (['Status', 'Courses', 'Change log'].includes(name))
      await screenshot(page, `narrow-${name.toLowerCase().replace(/ /g, '-')}`);
  }
});

test('the console has a favicon (not a 404)', async ({ page }) => {
  const backend = Backend.fromEnv();
  await page.goto(backend.baseURL);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await page.request.get(new URL(href!, backend.baseURL).toString());
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/png');
});
