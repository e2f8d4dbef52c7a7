import { Type, type Static } from 'typebox';

/**
 * The console's one request shape. The gateway maps `/api/<target>/<path>` onto it and the
 * Electron main process receives it over IPC; both hand it to the same dispatcher.
 */
export const ConsoleTarget = Type.Union([
  Type.Literal('data_node'),
  Type.Literal('auth_node'),
  Type.Literal('teacher_node'),
  Type.Literal('student_node'),
  Type.Literal('queue_node'),
  Type.Literal('realtime'),
  Type.Literal('supervisor'),
]);
export type ConsoleTarget = Static<typeof ConsoleTarget>;

export const ConsoleRequest = Type.Object(
  {
    method: Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('DELETE')]),
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

export interface AppInfo {
  mode: 'electron' | 'server';
  version: string;
  /** Where the renderer's socket.io-client connects (the gateway proxies it in server mode). */
  realtimeUrl: string;
  /** The student and teacher portal, where this backend serves one (server mode: `/portal/`). */
  portalUrl?: string;
}
