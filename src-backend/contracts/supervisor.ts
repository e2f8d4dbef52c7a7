import { Type, type Static } from 'typebox';
import { literals } from './common.js';
import { SERVICE_NAMES, type ServiceName } from './services.js';
import type { SessionForgetRequest } from './session.js';

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
  | { type: 'loaded'; service: ServiceName }
  /**
   * A signal told it to stop. A signal to the whole process group reaches every service at once,
   * so it asks, and the supervisor sends 'shutdown' when its turn comes (data last).
   */
  | { type: 'stop-requested'; service: ServiceName; signal: string }
  /**
   * auth_node ended a session (logout) or all of a user's (disable, delete, password change,
   * 2FA reset). The supervisor's own process runs the console's supervisor routes and caches
   * admin sessions there, so it must hear it too, and at once.
   */
  | { type: 'session-forget'; service: ServiceName; forget: SessionForgetRequest };

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
  /** asked to stop and draining; never reported as a crash */
  Type.Literal('stopping'),
  Type.Literal('stopped'),
]);
export type ProcessState = Static<typeof ProcessState>;

export const ServiceNameSchema = literals(SERVICE_NAMES);

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
  /** running, but its /health says degraded, and why (data_node: storage not writable) */
  degraded: Type.Optional(Type.String()),
});
export type ProcessStatus = Static<typeof ProcessStatus>;

export const SupervisorStatus = Type.Object({
  overall: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('down')]),
  processes: Type.Array(ProcessStatus),
});
export type SupervisorStatus = Static<typeof SupervisorStatus>;

export const PROCESS_OPS = ['start', 'stop', 'restart'] as const;
export const ProcessOp = literals(PROCESS_OPS);
export type ProcessOp = Static<typeof ProcessOp>;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export const LogLevel = literals(LOG_LEVELS);
export type LogLevel = Static<typeof LogLevel>;

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

/** Admin-event types published on /admin. */
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
