import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';

/** Where the electron package would have put its binary; absent when the download was blocked. */
function electronBinary(): { path: string | null; reason: string } {
  try {
    const require = createRequire(import.meta.url);
    const pkgDir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(pkgDir, 'path.txt');
    if (!fs.existsSync(pathFile))
      return { path: null, reason: `no Electron binary: ${pathFile} is missing (the download was blocked)` };
    const bin = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    if (!fs.existsSync(bin)) return { path: null, reason: `no Electron binary at ${bin}` };
    return { path: bin, reason: '' };
  } catch (err) {
    return { path: null, reason: `electron is not installed: ${(err as Error).message}` };
  }
}

const found = electronBinary();
const mainEntry = path.resolve(process.env.CSC_OUT || 'out', 'main', 'index.js');

test.describe('desktop app (Electron)', () => {
  test.skip(found.path === null, found.reason);
  test.beforeAll(() => {
    if (found.path === null) console.log(`electron.spec.ts skipped: ${found.reason}`);
  });

  test('the window opens sandboxed, shows the sign-in screen and reaches the six processes', async () => {
    const userData = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'csc-e2e-electron-'));
    const app = await electron.launch({
      executablePath: found.path!,
      args: [mainEntry, `--user-data-dir=${userData}`, '--no-sandbox'],
      env: { ...process.env, ADMIN_PASSWORD: 'electron-e2e-password' },
      timeout: 60_000,
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('login-form')).toBeVisible({ timeout: 60_000 });
      // The renderer has the preload API and nothing of Node.
      expect(await win.evaluate('typeof window.api === "object" && typeof window.require === "undefined"')).toBe(true);
      await win.getByLabel('Password').fill('electron-e2e-password');
      await win.getByLabel('Password').press('Enter');
      await expect(win.getByTestId('process-table').locator('tr[data-state="running"]')).toHaveCount(6, {
        timeout: 60_000,
      });
    } finally {
      await Promise.race([app.close(), new Promise((r) => setTimeout(r, 15_000))]);
      app.process().kill('SIGKILL');
      fs.rmSync(userData, { recursive: true, force: true });
    }
  });
});

// Print the reason even when the whole file is skipped, so a CI log says why.
if (found.path === null) console.log(`electron.spec.ts: skipped: ${found.reason}`);
