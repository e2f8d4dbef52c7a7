import path from 'node:path';
import { Menu, Tray, nativeImage, type BrowserWindow } from 'electron';
import type { SupervisorStatus } from '../src-backend/contracts/supervisor.js';
import { trayHealth } from '../src-backend/desktop/tray-health.js';

/** A tray icon whose colour is the overall health: green, amber, red. */
export function createHealthTray(resourcesDir: string, showWindow: () => BrowserWindow | null, quit: () => void) {
  const icons = {
    healthy: nativeImage.createFromPath(path.join(resourcesDir, 'tray-healthy.png')),
    degraded: nativeImage.createFromPath(path.join(resourcesDir, 'tray-degraded.png')),
    down: nativeImage.createFromPath(path.join(resourcesDir, 'tray-down.png')),
  };
  const tray = new Tray(icons.down);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open console', click: () => showWindow()?.show() },
      { type: 'separator' },
      { label: 'Quit', click: quit },
    ]),
  );
  tray.on('click', () => showWindow()?.show());
  return {
    update(status: SupervisorStatus): void {
      const { icon, tooltip } = trayHealth(status.processes);
      tray.setImage(icons[icon]);
      tray.setToolTip(tooltip);
    },
    destroy: () => tray.destroy(),
  };
}
