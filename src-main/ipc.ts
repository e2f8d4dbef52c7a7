import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { AppInfo } from '../src-backend/contracts/console-api.js';
import { IpcChannel } from '../src-backend/contracts/ipc.js';
import type { ConsoleDispatcher } from '../src-backend/gateway/dispatch.js';
import { isOurFrame, openExternalSafely } from './window.js';

/** Every handler first checks that the message came from our own console frame. */
function fromOurFrame(event: IpcMainInvokeEvent): boolean {
  return isOurFrame(event.senderFrame?.url);
}

export function registerIpc(dispatcher: ConsoleDispatcher, info: AppInfo): void {
  ipcMain.handle(IpcChannel.apiRequest, async (event, req: unknown) => {
    if (!fromOurFrame(event)) return { status: 403, body: { error: { code: 'FORBIDDEN', message: 'unknown sender' } } };
    return dispatcher.dispatch(req); // validates the request shape itself
  });
  ipcMain.handle(IpcChannel.appInfo, (event) => (fromOurFrame(event) ? info : null));
  ipcMain.handle(IpcChannel.openExternal, (event, url: unknown) =>
    fromOurFrame(event) && typeof url === 'string' && url.length < 2048 ? openExternalSafely(url) : false,
  );
}
