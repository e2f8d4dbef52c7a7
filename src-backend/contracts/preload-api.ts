import type { AppInfo, ConsoleRequest, ConsoleResponse } from './console-api.js';
import type { ProcessStatus } from './supervisor.js';

/**
 * What the Electron preload exposes through contextBridge as `window.api`: declared once here,
 * implemented by src-main/preload.ts (`satisfies PreloadApi`), used by the renderer's IPC
 * transport. Absent in a plain browser.
 */
export interface PreloadApi {
  request(req: ConsoleRequest): Promise<ConsoleResponse>;
  appInfo(): Promise<AppInfo>;
  /** open an https link in the system browser (the main process checks the origin) */
  openExternal(url: string): Promise<boolean>;
  /** one process changed state; returns the unsubscribe function */
  onStatusChanged(cb: (status: ProcessStatus) => void): () => void;
}
