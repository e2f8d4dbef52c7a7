import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, session } from 'electron';
import { IpcChannel } from '../src-backend/contracts/ipc.js';
import { APP_ORIGIN } from '../src-backend/desktop/app-origin.js';
import { desktopCsp } from '../src-backend/desktop/csp.js';
import { linkPolicyFromEnv, type LinkPolicy } from '../src-backend/desktop/external-links.js';
import { PermissionPolicy } from '../src-backend/desktop/permissions.js';
import { CONSOLE_CSP } from '../src-backend/gateway/app.js';
import { createBackend, type Backend } from '../src-backend/server/launch.js';
import { exitOnStartupError, runServerMode } from '../src-backend/server/server-mode.js';
import { registerAppScheme, serveConsole } from './app-protocol.js';
import { ElectronHost } from './electron-host.js';
import { registerIpc } from './ipc.js';
import { installAppMenu } from './menu.js';
import { createHealthTray } from './tray.js';
import { createMainWindow, lockDown } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main: the service entries live here
const resourcesDir = app.isPackaged ? process.resourcesPath : path.resolve(here, '../../resources');

if (process.argv.includes('--server')) {
  // Headless: the same services (as utility processes) and the gateway serving the console.
  app.dock?.hide();
  void app.whenReady().then(() =>
    runServerMode({
      host: new ElectronHost(),
      entryDir: here,
      staticDir: path.resolve(here, '../renderer'),
      argv: process.argv.slice(1),
    }).catch(exitOnStartupError),
  );
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const links = linkPolicyOrExit();
  registerAppScheme();
  let win: BrowserWindow | null = null;
  const backend = backendOrExit();
  // The first start's one-time admin password goes to the terminal that started the app, never the logs.
  backend.supervisor.onTerminal((t) => process.stderr.write(`[${t.service}] ${t.line}\n`));
  const realtimeUrl = `http://127.0.0.1:${backend.config.ports.realtime}`;
  const csp = desktopCsp(CONSOLE_CSP, realtimeUrl);
  const permissions = new PermissionPolicy((line) => console.warn(line));

  app.on('second-instance', () => win?.show());
  app.on('web-contents-created', (_e, contents) => lockDown(contents, links));

  void app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(permissions.request(permission, details.requestingUrl)),
    );
    session.defaultSession.setPermissionCheckHandler(() => permissions.check());
    session.defaultSession.setDevicePermissionHandler(() => permissions.check());
    serveConsole(path.resolve(here, '../renderer'), csp);
    registerIpc(backend.dispatcher, { mode: 'electron', version: app.getVersion(), realtimeUrl }, links);
    installAppMenu(() => win);
    const tray = createHealthTray(
      resourcesDir,
      () => win,
      () => app.quit(),
    );
    backend.supervisor.onStatus((s) => {
      win?.webContents.send(IpcChannel.statusChanged, s);
      tray.update(backend.supervisor.status());
    });
    win = createMainWindow(path.resolve(here, '../preload'));
    win.on('closed', () => (win = null));
    await backend.supervisor.startAll().catch((err: Error) => console.error(`services: ${err.message}`));
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void backend.close().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!win) win = createMainWindow(path.resolve(here, '../preload'));
  });
}

/** A bad DESKTOP_LINK_ORIGINS is one line and exit status 78 (a configuration error), as in server mode. */
function linkPolicyOrExit(): LinkPolicy {
  try {
    return linkPolicyFromEnv(process.env);
  } catch (err) {
    process.stderr.write(`desktop: ${(err as Error).message}\n`);
    return process.exit(78);
  }
}

/** The desktop app keeps its database in userData/data, whatever DATA_DIR says (README, Environment). */
function backendOrExit(): Backend {
  try {
    return createBackend({
      host: new ElectronHost(),
      entryDir: here,
      dataDir: path.join(app.getPath('userData'), 'data'),
      env: { ...process.env, REALTIME_ALLOWED_ORIGINS: process.env.REALTIME_ALLOWED_ORIGINS ?? APP_ORIGIN },
    });
  } catch (err) {
    return exitOnStartupError(err); // a bad SOCKET_DIR or port variable: one line, not a crash dialog
  }
}
