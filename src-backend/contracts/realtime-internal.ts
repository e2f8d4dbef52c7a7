import { Type, type Static } from 'typebox';
import type { ServerEventData, ServerEventName } from './realtime.js';
import { LogRecord } from './supervisor.js';

/**
 * The realtime server's internal API: how services and the supervisor hand it events.
 * Every route here needs the internal token.
 */

/** Events to emit (routes/realtime.ts `emit`): the event manager maps each event name to its namespace. */
export const InternalEvent = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.Unknown(),
    /** a room within the namespace, e.g. `course:12` or `user:7`; absent = the whole namespace */
    room: Type.Optional(Type.String({ maxLength: 200 })),
    /** only to override the automatic namespace mapping */
    namespace: Type.Optional(Type.String({ pattern: '^/', maxLength: 50 })),
    /** false bypasses the throttler (default: per the event type's config) */
    throttle: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type InternalEvent = Static<typeof InternalEvent>;
/**
 * What a service publishes: an event of the contract's server-to-client maps with its payload's
 * type, sent as an InternalEvent. Rooms are built with `Rooms`.
 */
export type PublishedEvent<E extends ServerEventName = ServerEventName> = Omit<InternalEvent, 'event' | 'data'> & {
  event: E;
  data: ServerEventData<E>;
};
/** events per POST /internal/emit at most */
export const REALTIME_EMIT_BATCH_MAX = 5000;
export const InternalEmitRequest = Type.Object(
  { events: Type.Array(InternalEvent, { minItems: 1, maxItems: REALTIME_EMIT_BATCH_MAX }) },
  { additionalProperties: false },
);
export type InternalEmitRequest = Static<typeof InternalEmitRequest>;

/** Log lines for the /logs namespace: the supervisor's log fan-in feeds it through routes/realtime.ts `logs`. */
export const InternalLogsRequest = Type.Object(
  { lines: Type.Array(LogRecord, { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);
export type InternalLogsRequest = Static<typeof InternalLogsRequest>;

/** Logout and disable end the user's sockets (routes/realtime.ts `disconnectUser`). */
export const InternalDisconnectRequest = Type.Object(
  { userId: Type.Integer(), reason: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export type InternalDisconnectRequest = Static<typeof InternalDisconnectRequest>;

/** Event names the course services publish to the realtime server. */
export const CourseEvents = {
  /** {courseId, enrolled, capacity, seatsLeft}, room `course:<id>`, throttled */
  seats: 'course:seats',
  /** {ticket, courseId, action, status}, room `user:<studentId>` */
  outcome: 'selection:outcome',
  /** RegistrationBoard, the whole /admin namespace */
  board: 'board:update',
} as const satisfies Record<string, ServerEventName>;

/** The persisted notification a promoted student gets (beside `selection:outcome` status `promoted`). */
export const PROMOTED_NOTIFICATION_TYPE = 'waitlist_promoted';

/** The /admin namespace's one event: {type, data}. */
export const ADMIN_EVENT = 'admin_event' satisfies ServerEventName;
