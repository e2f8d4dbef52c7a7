import { Type, type Static } from 'typebox';
import type { ServiceName } from './services.js';

/** Child → parent over the fork/utility-process channel. */
export type ChildMessage =
  | {
      type: 'ready';
      service: ServiceName;
      pid: number;
      http: { host: string; port: number };
      socket: string | null;
    }
  /** A start-up problem that a restart cannot fix (port taken, bad SOCKET_DIR). */
  | { type: 'fatal'; service: ServiceName; message: string }
  /** Code loaded, waiting at the start gate for 'start' (only when START_GATE_ENV is set). */
  | { type: 'loaded'; service: ServiceName };

/**
 * Parent → child. Windows has no SIGTERM, so shutdown is always also a message. 'start' opens
 * the start gate: the child may now open its resources and listen.
 */
export type ParentMessage = { type: 'shutdown' } | { type: 'start' };

/**
 * Set by the supervisor for its children: load the code, say 'loaded', then wait for 'start'.
 * All six load side by side while they still start serving in dependency order.
 */
export const START_GATE_ENV = 'CSC_START_GATE';

export const ProcessState = Type.Union([
  Type.Literal('starting'),
  Type.Literal('running'),
  Type.Literal('restarting'),
  Type.Literal('errored'),
  Type.Literal('stopped'),
]);
export type ProcessState = Static<typeof ProcessState>;

export const ServiceNameSchema = Type.Union([
  Type.Literal('data_node'),
  Type.Literal('auth_node'),
  Type.Literal('teacher_node'),
  Type.Literal('student_node'),
  Type.Literal('queue_node'),
  Type.Literal('realtime'),
]);

export const ProcessStatus = Type.Object({
  name: ServiceNameSchema,
  state: ProcessState,
  pid: Type.Union([Type.Integer(), Type.Null()]),
  /** ms since the current incarnation became ready; 0 when not running */
  uptimeMs: Type.Integer(),
  restarts: Type.Integer(),
  rssBytes: Type.Union([Type.Integer(), Type.Null()]),
  healthLatencyMs: Type.Union([Type.Number(), Type.Null()]),
  transport: Type.Union([Type.Literal('unix'), Type.Literal('http'), Type.Null()]),
  port: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
export type ProcessStatus = Static<typeof ProcessStatus>;

export const SupervisorStatus = Type.Object({
  overall: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('down')]),
  processes: Type.Array(ProcessStatus),
});
export type SupervisorStatus = Static<typeof SupervisorStatus>;

export const ProcessOp = Type.Union([Type.Literal('start'), Type.Literal('stop'), Type.Literal('restart')]);
export type ProcessOp = Static<typeof ProcessOp>;

export const LogLevel = Type.Union([
  Type.Literal('trace'),
  Type.Literal('debug'),
  Type.Literal('info'),
  Type.Literal('warn'),
  Type.Literal('error'),
  Type.Literal('fatal'),
]);
export type LogLevel = Static<typeof LogLevel>;
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** One fanned-in log line, as kept in the ring buffer and streamed on /logs. */
export const LogRecord = Type.Object({
  seq: Type.Integer(),
  time: Type.String(),
  level: LogLevel,
  service: Type.String(),
  msg: Type.String(),
  /** the structured fields the service logged with the line (courseId, userId, actor…), secrets censored */
  fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type LogRecord = Static<typeof LogRecord>;

/** Admin-event types published on /admin (issue 4). */
export type AdminEventType =
  | 'process_state'
  | 'process_restart'
  | 'user_created'
  | 'user_deleted'
  | 'user_disabled'
  | 'code_generated'
  | 'code_revoked'
  /** {id, action: created|updated|deleted}: the console's Courses list reloads */
  | 'course_changed'
  | 'throttler_flush'
  /** one new audit_log entry (AuditEntry), for the console's live Audit view */
  | 'audit_entry'
  | 'selection_window';
