import { Type, type Static } from 'typebox';

export const Transport = Type.Union([Type.Literal('unix'), Type.Literal('http')]);
export type Transport = Static<typeof Transport>;

/** GET /health on the five course services (the realtime server answers RealtimeHealthBody below). */
export const HealthBody = Type.Object({
  /** degraded: running and answering, but not all of it works (data_node: storage not writable) */
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded')]),
  /** what is wrong, when degraded */
  reason: Type.Optional(Type.String()),
  service: Type.String(),
  pid: Type.Integer(),
  uptime: Type.Number({ description: 'seconds since the process started' }),
  transport: Transport,
});
export type HealthBody = Static<typeof HealthBody>;

/** The realtime server's health shape, kept as older clients expect it (streams.test.ts). */
export const RealtimeHealthBody = Type.Object({
  status: Type.Literal('healthy'),
  service: Type.Literal('socketio'),
  port: Type.Integer(),
  connections: Type.Object({
    log_connections: Type.Integer(),
    admin_connections: Type.Integer(),
    total_connections: Type.Integer(),
  }),
});
export type RealtimeHealthBody = Static<typeof RealtimeHealthBody>;

/** Retry-After on a write refused while data_node's storage cannot write: its probe runs every 2 s. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;
