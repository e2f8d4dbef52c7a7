import { Menu, app, dialog, type BrowserWindow } from 'electron';

export function installAppMenu(getWindow: () => BrowserWindow | null): void {
  const about = () =>
    void dialog.showMessageBox({
      type: 'info',
      title: 'About Course Selection Console',
      message: `Course Selection Console ${app.getVersion()}`,
      detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\nData: ${app.getPath('userData')}`,
    });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { label: 'File', submenu: [{ role: process.platform === 'darwin' ? ('close' as const) : ('quit' as const) }] },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [
          { role: 'reload' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      },
      { role: 'windowMenu' },
      {
        role: 'help',
        submenu: [
          { label: 'About Course Selection Console', click: about },
          { label: 'Show Console', click: () => getWindow()?.show() },
        ],
      },
    ]),
  );
}
