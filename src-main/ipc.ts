import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { AppInfo } from '../src-backend/contracts/console-api.js';
import { IpcChannel } from '../src-backend/contracts/ipc.js';
import type { SenderFrame } from '../src-backend/desktop/app-origin.js';
import type { LinkPolicy } from '../src-backend/desktop/external-links.js';
import { checkIpcCall, refusalResponse } from '../src-backend/desktop/ipc-guard.js';
import type { ConsoleDispatcher } from '../src-backend/gateway/dispatch.js';
import { openExternally } from './window.js';

function senderOf(event: IpcMainInvokeEvent): SenderFrame | null {
  try {
    const frame = event.senderFrame;
    return frame ? { url: frame.url, isMainFrame: frame.parent === null } : null;
  } catch {
    return null; // the frame navigated away or was destroyed meanwhile
  }
}

/** Every handler first checks its sender frame and its arguments (src-backend/desktop/ipc-guard). */
export function registerIpc(dispatcher: ConsoleDispatcher, info: AppInfo, links: LinkPolicy): void {
  ipcMain.handle(IpcChannel.apiRequest, async (event, ...args: unknown[]) => {
    const refused = checkIpcCall(IpcChannel.apiRequest, senderOf(event), args);
    return refused ? refusalResponse(refused) : dispatcher.dispatch(args[0]);
  });
  ipcMain.handle(IpcChannel.appInfo, (event, ...args: unknown[]) =>
    checkIpcCall(IpcChannel.appInfo, senderOf(event), args) ? null : info,
  );
  ipcMain.handle(IpcChannel.openExternal, (event, ...args: unknown[]) =>
    checkIpcCall(IpcChannel.openExternal, senderOf(event), args) ? false : openExternally(args[0] as string, links),
  );
}
