import type { AppInfo, ConsoleRequest, ConsoleResponse } from '@contracts/console-api';
import type { ProcessStatus } from '@contracts/supervisor';

/** What the Electron preload exposes through contextBridge; absent in a plain browser. */
export interface PreloadApi {
  request(req: ConsoleRequest): Promise<ConsoleResponse>;
  appInfo(): Promise<AppInfo>;
  /** open an https link in the system browser (the main process checks the origin) */
  openExternal(url: string): Promise<boolean>;
  /** one process changed state; returns the unsubscribe function */
  onStatusChanged(cb: (status: ProcessStatus) => void): () => void;
}

declare global {
  interface Window {
    api?: PreloadApi;
  }
}
