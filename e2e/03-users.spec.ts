import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.js';
import jsQRModule from 'jsqr';
import { Backend } from './support/api.js';
import { openSignedIn, screenshot } from './support/console.js';

// jsqr is CommonJS with a `default` property; loaders differ in which one they hand over.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** The few DOM members the in-page decoder touches (this file compiles without the DOM lib). */
interface PageImage {
  decode(): Promise<void>;
  naturalWidth: number;
  naturalHeight: number;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(img: PageImage, x: number, y: number): void;
    getImageData(
      x: number,
      y: number,
      w: number,
      h: number,
    ): { width: number; height: number; data: ArrayLike<number> };
  };
}

/** Draw the QR <img> onto a canvas in the page and hand its pixels to jsQR here. */
async function decodeQr(page: Page): Promise<string | null> {
  const img = await page.getByTestId('qr-image').evaluate(async (el) => {
    const image = el as unknown as PageImage;
    await image.decode();
    const doc = (globalThis as unknown as { document: { createElement(tag: 'canvas'): PageCanvas } }).document;
    const c = doc.createElement('canvas');
    c.width = image.naturalWidth;
    c.height = image.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  });
  return jsQR(Uint8ClampedArray.from(img.data), img.width, img.height)?.data ?? null;
}

test('adding a student shows a QR code that decodes back to its otpauth URI', async ({ page }) => {
  await openSignedIn(page, Backend.fromEnv(), '/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await page.getByTestId('add-user').click();
  const dialog = page.getByRole('dialog', { name: 'Add student' });
  await expect(dialog).toBeVisible();

  // Validation before sending.
  await dialog.getByTestId('add-user-submit').click();
  await expect(dialog.locator('#au-username-err')).toHaveText('Username is required');
  await expect(dialog.locator('#au-group-err')).toContainText('Students need a group');

  await dialog.getByLabel('Username').fill('alice.e2e');
  await dialog.getByLabel('Full name').fill('Alice Example');
  await dialog.getByLabel('Email').fill('alice.e2e@example.com');
  await dialog.getByLabel('Group').fill('cs-2024');
  // The server's password rule names its reason next to the field.
  await dialog.locator('#au-password').fill('password123');
  await dialog.getByTestId('add-user-submit').click();
  await expect(dialog.locator('#au-password-err')).toHaveText('password is too common');
  await dialog.locator('#au-password').fill('');
  await dialog.getByTestId('add-user-submit').click();

  const reveal = page.getByTestId('secret-reveal');
  await expect(reveal).toBeVisible();
  const uri = (await page.getByTestId('otpauth-uri').textContent())!.trim();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  expect(uri).toContain('alice.e2e');
  expect(uri).toContain(`secret=${secret}`);
  await expect(page.getByTestId('initial-password')).toBeVisible();
  expect(await decodeQr(page)).toBe(uri);

  // Esc closes the dialog; the new student is in the list.
  await page.keyboard.press('Escape');
  await expect(reveal).toBeHidden();
  await page.getByTestId('users-search').fill('alice.e2e');
  await expect(page.getByTestId('users-table').locator('tr[data-username="alice.e2e"]')).toBeVisible();

  // A taken username comes back inline, next to the field.
  await page.getByTestId('add-user').click();
  const again = page.getByRole('dialog', { name: 'Add student' });
  await again.getByLabel('Username').fill('alice.e2e');
  await again.getByLabel('Full name').fill('Alice Again');
  await again.getByLabel('Email').fill('alice2@example.com');
  await again.getByLabel('Group').fill('cs-2024');
  await again.getByTestId('add-user-submit').click();
  await expect(again.locator('#au-username-err')).not.toBeEmpty();
  await page.keyboard.press('Escape');

  // Reset 2FA: a confirmation, then a one-time reset code to hand over.
  await page.getByRole('button', { name: 'Reset 2FA for alice.e2e' }).click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('reset-code')).toHaveText(/^[0-9A-Z]{4,}(-[0-9A-Z]+)*$/);
  await page.keyboard.press('Escape');

  await page.getByTestId('users-search').fill('');
});

test('deleting a user asks for confirmation first', async ({ page }) => {
  const backend = Backend.fromEnv();
  const { token } = await backend.adminLogin();
  await backend.createStudent(token, 'bob.delete');
  await openSignedIn(page, backend, '/users');
  await page.getByTestId('users-search').fill('bob.delete');
  const row = page.getByTestId('users-table').locator('tr[data-username="bob.delete"]');
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: 'Delete bob.delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete bob.delete?' });
  await expect(confirm).toBeVisible();
  // Cancel has the focus for destructive actions; Esc cancels.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: 'Delete bob.delete' }).click();
  await page.getByTestId('confirm-ok').click();
  await expect(row).toBeHidden();
  await expect(page.getByTestId('list-empty')).toBeVisible();
});

test('a CSV import previews a bad row with its line and reason, imports the rest, and offers the results CSV', async ({
  page,
}) => {
  await openSignedIn(page, Backend.fromEnv(), '/users');
  await page.getByTestId('import-csv').click();
  const dialog = page.getByRole('dialog', { name: 'Import students from CSV' });
  const csv =
    '\uFEFFusername,name,email,group\r\n' +
    'csv.one,"One, Student",csv.one@example.com,cs-2024\r\n' +
    'x,Bad Row,not-an-email,cs-2024\r\n' +
    'csv.two,Two Student,csv.two@example.com,cs-2024\r\n';
  await dialog
    .getByTestId('csv-file')
    .setInputFiles({ name: 'students.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  await expect(dialog.getByTestId('csv-summary')).toContainText('2 ready');
  await expect(dialog.getByTestId('csv-summary')).toContainText('1 with errors');
  const bad = dialog.getByTestId('csv-preview').locator('tr[data-valid="false"]');
  await expect(bad).toHaveCount(1);
  await expect(bad).toContainText('3');
  await expect(bad).toContainText('username "x" is not valid');
  await expect(bad).toContainText('email "not-an-email" is not valid');
  await screenshot(page, 'users-csv-preview');

  // All or nothing refuses to start while a row is bad.
  await dialog.getByLabel(/All or nothing/).check();
  await expect(dialog.getByTestId('csv-commit')).toBeDisabled();
  await dialog.getByLabel(/All or nothing/).uncheck();

  await dialog.getByTestId('csv-commit').click();
  await expect(dialog.getByTestId('csv-result')).toContainText('2 created');
  await expect(dialog.getByTestId('csv-result')).toContainText('1 skipped');

  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('csv-download').click()]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const lines = text.trim().split(/\r?\n/);
  // The same columns and status words as `course-cli import csv --output`, one row per file line in order.
  expect(lines[0]).toBe('username,generated password,2FA secret,otpauth URI,status');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['csv.one', 'x', 'csv.two']);
  expect(lines[1]).toMatch(/,otpauth:\/\/totp\/[^,]+,created$/);
  expect(lines[2]).toMatch(/^x,,,,"?skipped: username "*x"* is not valid/);
  expect(lines[3]).toMatch(/created$/);
  await screenshot(page, 'users-csv-result');
});
