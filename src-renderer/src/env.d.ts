import type { AppInfo, ConsoleRequest, ConsoleResponse } from '@contracts/console-api';
import type { SupervisorStatus } from '@contracts/supervisor';

/** What the Electron preload exposes through contextBridge; absent in a plain browser. */
export interface PreloadApi {
  request(req: ConsoleRequest): Promise<ConsoleResponse>;
  appInfo(): Promise<AppInfo>;
  /** returns the unsubscribe function */
  onStatusChanged(cb: (status: SupervisorStatus) => void): () => void;
}

declare global {
  interface Window {
    api?: PreloadApi;
  }
}
