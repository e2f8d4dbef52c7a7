import path from 'node:path';
import { BrowserWindow, shell, type WebContents } from 'electron';
import { APP_ORIGIN } from '../src-backend/desktop/app-origin.js';
import { externalLinkDecision, type LinkPolicy } from '../src-backend/desktop/external-links.js';
import { navigationDecision, windowOpenDecision, type LeaveDecision } from '../src-backend/desktop/navigation.js';

/** Open a link in the system browser or mail client if the link policy allows it. */
export function openExternally(raw: string, policy: LinkPolicy): boolean {
  const decision = externalLinkDecision(raw, policy);
  if (decision.open) void shell.openExternal(decision.url);
  return decision.open;
}

/** For every web contents the app creates: no new windows, no leaving app://console, no webviews. */
export function lockDown(contents: WebContents, policy: LinkPolicy): void {
  const leave = (d: LeaveDecision) => {
    if (d.openExternally) void shell.openExternal(d.openExternally);
  };
  contents.setWindowOpenHandler(({ url }) => {
    leave(windowOpenDecision(url, policy));
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void; url: string }) => {
    const d = navigationDecision(event.url, policy);
    if (d.allow) return;
    event.preventDefault();
    leave(d);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
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
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}
