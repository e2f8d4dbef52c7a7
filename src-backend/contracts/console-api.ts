import { Type, type Static } from 'typebox';
import { literals } from './common.js';
import { HTTP_METHODS } from './route.js';
import { SERVICE_NAMES } from './services.js';

/**
 * The console's one request shape. The gateway maps `/api/<target>/<path>` onto it and the
 * Electron main process receives it over IPC; both hand it to the same dispatcher.
 */
export const CONSOLE_TARGETS = [...SERVICE_NAMES, 'supervisor'] as const;
export const ConsoleTarget = literals(CONSOLE_TARGETS);
export type ConsoleTarget = Static<typeof ConsoleTarget>;

export const ConsoleRequest = Type.Object(
  {
    method: literals(HTTP_METHODS),
    target: ConsoleTarget,
    /** path below the target, starting with '/', query string allowed */
    path: Type.String({ pattern: '^/', maxLength: 2048 }),
    body: Type.Optional(Type.Unknown()),
    token: Type.Optional(Type.String({ maxLength: 512 })),
    /**
     * The `Idempotency-Key` header for the services that honour it (student select/deselect):
     * a retry after a lost answer gets the first ticket back, never a second one.
     */
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
  },
  { additionalProperties: false },
);
export type ConsoleRequest = Static<typeof ConsoleRequest>;

export interface ConsoleResponse<T = unknown> {
  status: number;
  body: T;
}

export const AppInfo = Type.Object({
  mode: Type.Union([Type.Literal('electron'), Type.Literal('server')]),
  version: Type.String(),
  /** Where the renderer's socket.io-client connects (the gateway proxies it in server mode). */
  realtimeUrl: Type.String(),
  /** The student and teacher portal, where this backend serves one (server mode: `/portal/`). */
  portalUrl: Type.Optional(Type.String()),
});
export type AppInfo = Static<typeof AppInfo>;
