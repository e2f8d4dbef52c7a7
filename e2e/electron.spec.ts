import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { freePortEnv } from '../src-backend/testing/ports.js';

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
const ADMIN_PASSWORD = 'electron-e2e-password';
const DB_FILE = 'course-selection.sqlite'; // data_node's file name (services/data/db/open.ts)

// One desktop app for the whole file, walked through in order: sign in first, then probe it.
test.describe.configure({ mode: 'serial' });

test.describe('desktop app (Electron)', () => {
  test.skip(found.path === null, found.reason);

  let app: ElectronApplication;
  let win: Page;
  let userData: string;
  let decoyDataDir: string;
  let socketDir: string;

  test.beforeAll(async () => {
    const tmp = (prefix: string) => fs.mkdtempSync(path.join(process.env.TMPDIR ?? os.tmpdir(), prefix));
    userData = tmp('csc-e2e-electron-');
    decoyDataDir = tmp('csc-e2e-decoy-'); // DATA_DIR must lose to userData in the desktop app
    socketDir = tmp('csc-e2e-s-');
    fs.chmodSync(socketDir, 0o700);
    const portEnv = await freePortEnv();
    app = await electron.launch({
      executablePath: found.path!,
      args: [mainEntry, `--user-data-dir=${userData}`, '--no-sandbox'],
      env: {
        ...process.env,
        ADMIN_PASSWORD,
        DATA_DIR: decoyDataDir,
        SOCKET_DIR: socketDir,
        ...portEnv.env,
      },
      timeout: 60_000,
    });
    win = await app.firstWindow();
  });

  test.afterAll(async () => {
    if (app) {
      await Promise.race([app.close(), new Promise((r) => setTimeout(r, 15_000))]);
      app.process().kill('SIGKILL');
    }
    for (const dir of [userData, decoyDataDir, socketDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the window opens sandboxed, shows the sign-in screen and reaches the six processes', async () => {
    await expect(win.getByTestId('login-form')).toBeVisible({ timeout: 60_000 });
    // The renderer has the preload API and nothing of Node.
    expect(
      await win.evaluate(
        'typeof window.api === "object" && typeof window.require === "undefined" && typeof window.process === "undefined"',
      ),
    ).toBe(true);
    await win.getByLabel('Password').fill(ADMIN_PASSWORD);
    await win.getByLabel('Password').press('Enter');
    await expect(win.getByTestId('process-table').locator('tr[data-state="running"]')).toHaveCount(6, {
      timeout: 60_000,
    });
  });

  test('the database lives under userData, not DATA_DIR', async () => {
    const appUserData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(fs.realpathSync(appUserData)).toBe(fs.realpathSync(userData));
    expect(fs.existsSync(path.join(appUserData, 'data', DB_FILE))).toBe(true);
    expect(fs.readdirSync(decoyDataDir)).toEqual([]);
  });

  // Page code is passed as strings, as in the other specs: e2e is type-checked without the DOM.
  test('window.open opens no window, for a stranger or for our own page', async () => {
    expect(await win.evaluate('[window.open("https://example.com/"), window.open("app://console/")]')).toEqual([
      null,
      null,
    ]);
    expect(app.windows()).toHaveLength(1);
  });

  test('navigating to another origin is blocked: the console stays, with its state', async () => {
    await win.evaluate('window.__marker = 42; window.location.href = "https://example.com/"');
    // A round trip through the main process, by which time a navigation would have begun.
    await win.evaluate('window.api.appInfo()');
    expect(await win.evaluate('[window.location.origin, window.__marker]')).toEqual(['app://console', 42]);
    await win.evaluate(`(() => {
      const a = document.createElement('a');
      a.href = 'file:///etc/passwd';
      document.body.append(a);
      a.click();
    })()`);
    await win.evaluate('window.api.appInfo()');
    expect(await win.evaluate('[window.location.origin, window.__marker]')).toEqual(['app://console', 42]);
    expect(win.url()).toMatch(/^app:\/\/console\//);
  });

  test('every permission is denied', async () => {
    const answers = (await win.evaluate(`(async () => ({
      notification: await Notification.requestPermission(),
      geolocationQuery: (await navigator.permissions.query({ name: 'geolocation' })).state,
      geolocation: await new Promise((resolve) =>
        navigator.geolocation.getCurrentPosition(() => resolve('granted'), (err) => resolve(err.code)),
      ),
      microphone: await navigator.mediaDevices.getUserMedia({ audio: true }).then(() => 'granted', (err) => err.name),
    }))()`)) as Record<string, unknown>;
    expect(answers.notification).toBe('denied');
    expect(answers.geolocationQuery).toBe('denied');
    expect(answers.geolocation).toBe(1); // GeolocationPositionError.PERMISSION_DENIED
    expect(answers.microphone).not.toBe('granted');
  });
});

// Print the reason even when the whole file is skipped, so a CI log says why.
if (found.path === null) console.log(`electron.spec.ts: skipped: ${found.reason}`);
