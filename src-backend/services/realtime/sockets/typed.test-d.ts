/**
 * Compile-time checks, run by `npm run typecheck` (vitest does not pick up `.test-d.ts`): every
 * `@ts-expect-error` below must be an error, so a namespace, socket or publisher whose types
 * stop following contracts/realtime.ts (`any` events, a missing map) fails the typecheck.
 */
import type { CourseSeatsEvent } from '../../../contracts/realtime.js';
import { Namespaces, Rooms } from '../../../contracts/realtime.js';
import type { RealtimePublisher } from '../../../shared/realtime-publisher.js';
import type { RealtimeNamespace, RealtimeSocket } from './typed.js';

const seats: CourseSeatsEvent = { courseId: 1, enrolled: 1, capacity: 2, seatsLeft: 1 };

export function namespaceEmits(
  courses: RealtimeNamespace<typeof Namespaces.courses>,
  chat: RealtimeNamespace<typeof Namespaces.chat>,
): void {
  courses.to(Rooms.course(1)).emit('course:seats', seats);
  // @ts-expect-error /courses does not carry chat messages
  courses.emit('chat:message', seats);
  // @ts-expect-error the payload of another event
  courses.emit('course:seats', { ticket: 1 });
  // @ts-expect-error /chat does not carry seat counts
  chat.emit('course:seats', seats);
}

export function socketHandlers(socket: RealtimeSocket<typeof Namespaces.chat>): void {
  socket.on('chat:send', (p, ack) => {
    const receiver: number = p.receiverId;
    void receiver;
    // @ts-expect-error the ack answers with a message, not a count
    ack({ success: true, updated: 1 });
  });
  // @ts-expect-error /chat serves no course:watch
  socket.on('course:watch', () => undefined);
  // @ts-expect-error SocketData has no such field
  void socket.data.password;
}

export function publisherEmits(publisher: RealtimePublisher): void {
  publisher.emit({ event: 'course:seats', room: Rooms.course(1), data: seats });
  // @ts-expect-error an event no namespace serves
  publisher.emit({ event: 'course:seat', data: seats });
  // @ts-expect-error the payload of another event
  publisher.emit({ event: 'notification:new', room: Rooms.user(1), data: seats });
}
