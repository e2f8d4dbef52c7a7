import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppInfo, ConsoleRequest, ConsoleResponse } from '../src-backend/contracts/console-api.js';
import type { PreloadApi } from '../src-backend/contracts/preload-api.js';
import { IPC_EVENT_CHANNELS, IPC_INVOKE_CHANNELS, IpcChannel, isAllowedChannel } from '../src-backend/contracts/ipc.js';
import type { ProcessStatus } from '../src-backend/contracts/supervisor.js';

function invoke<T>(channel: string, ...args: unknown[]): Promise<T> {
  if (!isAllowedChannel(channel, IPC_INVOKE_CHANNELS)) return Promise.reject(new Error(`channel ${channel} refused`));
  return ipcRenderer.invoke(channel, ...args) as Promise<T>;
}

/** The renderer's whole view of the main process: one small typed object, never ipcRenderer. */
const api = {
  request: (req: ConsoleRequest) => invoke<ConsoleResponse>(IpcChannel.apiRequest, req),
  appInfo: () => invoke<AppInfo>(IpcChannel.appInfo),
  openExternal: (url: string) => invoke<boolean>(IpcChannel.openExternal, url),
  onStatusChanged(listener: (status: ProcessStatus) => void): () => void {
    const channel = IpcChannel.statusChanged;
    if (!isAllowedChannel(channel, IPC_EVENT_CHANNELS)) return () => {};
    const wrapped = (_e: IpcRendererEvent, s: ProcessStatus) => listener(s);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
} satisfies PreloadApi;
contextBridge.exposeInMainWorld('api', api);
