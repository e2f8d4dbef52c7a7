import type { ChildMessage, ParentMessage } from '../contracts/supervisor.js';

/**
 * The channel to whoever started us: Electron's utility-process `parentPort`, or Node's
 * fork IPC. Detected at run time so that service code never imports electron.
 */
export interface ParentChannel {
  send(msg: ChildMessage): void;
  onMessage(listener: (msg: ParentMessage) => void): void;
}

interface ParentPortLike {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function getParentChannel(): ParentChannel | null {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (listener) =>
        parentPort.on('message', (e) => {
          if (isParentMessage(e.data)) listener(e.data);
        }),
    };
  }
  if (typeof process.send === 'function') {
    return {
      send: (msg) => {
        if (process.connected) process.send!(msg);
      },
      onMessage: (listener) =>
        process.on('message', (m) => {
          if (isParentMessage(m)) listener(m);
        }),
    };
  }
  return null;
}

function isParentMessage(m: unknown): m is ParentMessage {
  const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return type === 'shutdown' || type === 'start';
}
