/**
 * Compile-time checks, run by `npm run typecheck` (vitest does not pick up `.test-d.ts`): the
 * console's `Socket<…>` follows contracts/realtime.ts, so every `@ts-expect-error` below must
 * be an error.
 */
import type { RealtimeSocket } from './realtime';

export function consoleSockets(courses: RealtimeSocket<'/courses'>, logs: RealtimeSocket<'/logs'>): void {
  courses.on('course:seats', (e) => {
    const left: number = e.seatsLeft;
    void left;
  });
  courses.emit('course:watch', { courseIds: [1] });
  // @ts-expect-error the server sends no such event on /courses
  courses.on('log', () => undefined);
  // @ts-expect-error the payload wants courseIds
  courses.emit('course:watch', { courseId: 1 });
  // @ts-expect-error a log line's text is a string
  logs.on('log', (e: { text: number }) => void e);
  // @ts-expect-error /logs takes no course:watch
  logs.emit('course:watch', { courseIds: [1] });
}
