import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ConsoleRequest, type ConsoleResponse } from '../contracts/console-api.js';
import { IPC_INVOKE_CHANNELS, IpcChannel, type IpcChannelName } from '../contracts/ipc.js';
import { isTrustedSender, type SenderFrame } from './app-origin.js';

/** Longest URL the renderer may ask us to open; longer is never a link a person clicked. */
export const MAX_EXTERNAL_URL = 2048;

/** The arguments each invoke channel takes, as a tuple checked against the contracts. */
const ARGS: Readonly<Record<string, TSchema>> = {
  [IpcChannel.apiRequest]: Type.Tuple([ConsoleRequest]),
  [IpcChannel.appInfo]: Type.Tuple([]),
  [IpcChannel.openExternal]: Type.Tuple([Type.String({ minLength: 1, maxLength: MAX_EXTERNAL_URL })]),
};

export interface IpcRefusal {
  readonly status: 400 | 403;
  readonly code: 'FORBIDDEN' | 'VALIDATION_FAILED';
  readonly message: string;
}

/** Check one invoke call before any handler runs: a known channel, our frame, well-formed args. */
export function checkIpcCall(
  channel: string,
  sender: SenderFrame | null | undefined,
  args: readonly unknown[],
): IpcRefusal | null {
  if (!IPC_INVOKE_CHANNELS.includes(channel as IpcChannelName) || !ARGS[channel]) {
    return { status: 403, code: 'FORBIDDEN', message: `unknown channel ${channel}` };
  }
  if (!isTrustedSender(sender)) return { status: 403, code: 'FORBIDDEN', message: 'unknown sender' };
  if (!Value.Check(ARGS[channel], [...args])) {
    return { status: 400, code: 'VALIDATION_FAILED', message: `malformed arguments for ${channel}` };
  }
  return null;
}

/** A refusal in the console API's own error shape, so the renderer shows it like any other. */
export function refusalResponse(r: IpcRefusal): ConsoleResponse {
  return { status: r.status, body: { error: { code: r.code, message: r.message } } };
}
