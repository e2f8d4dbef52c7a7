import path from 'node:path';
import { BrowserWindow, shell, type WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol.js';

/** Only https links leave the app, and only to the system browser. */
export function openExternalSafely(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  void shell.openExternal(url.toString());
  return true;
}

export function isOurFrame(url: string | undefined): boolean {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}

function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isOurFrame(url)) {
      event.preventDefault();
      openExternalSafely(url);
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Course Selection Console',
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: path.join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  lockDown(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}
