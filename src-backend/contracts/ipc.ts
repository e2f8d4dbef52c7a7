/**
 * IPC channel names between the Electron preload and main. Every channel carries the
 * app prefix, and the preload refuses anything that is not in this list.
 */
export const IPC_PREFIX = 'csc:';

export const IpcChannel = {
  /** renderer → main: one console API call, dispatched exactly like the gateway's /api routes */
  apiRequest: 'csc:api-request',
  /** renderer → main: static facts the renderer needs (mode, realtime URL, version) */
  appInfo: 'csc:app-info',
  /** renderer → main: open an https link in the system browser after an origin check */
  openExternal: 'csc:open-external',
  /** main → renderer: supervisor status changed */
  statusChanged: 'csc:status-changed',
} as const;
export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

export const IPC_INVOKE_CHANNELS: readonly IpcChannelName[] = [
  IpcChannel.apiRequest,
  IpcChannel.appInfo,
  IpcChannel.openExternal,
];
export const IPC_EVENT_CHANNELS: readonly IpcChannelName[] = [IpcChannel.statusChanged];

export function isAllowedChannel(channel: string, allowed: readonly string[]): boolean {
  return channel.startsWith(IPC_PREFIX) && allowed.includes(channel);
}
