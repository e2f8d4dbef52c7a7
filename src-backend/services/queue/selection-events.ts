import type { DecidedTicket, SeatCount } from '../../contracts/routes/data-courses.js';
import { CourseEvents } from '../../contracts/realtime-internal.js';
import { Rooms } from '../../contracts/realtime.js';
import type { RealtimePublisher } from '../../shared/realtime-publisher.js';

/** What the queue tells the world; kept behind this small interface so tests can listen in. */
export interface SelectionEvents {
  outcome(d: DecidedTicket): void;
  seats(s: SeatCount): void;
  flush(): Promise<void>;
}

/**
 * Outcomes go to the student's room at once; seat counts are coalesced per course and sent at
 * most every `seatIntervalMs`, so a rush sends the latest count rather than thousands of them.
 */
export function createSelectionEvents(publisher: RealtimePublisher, seatIntervalMs = 250): SelectionEvents {
  const latest = new Map<number, SeatCount>();
  let timer: NodeJS.Timeout | null = null;
  const sendSeats = () => {
    timer = null;
    for (const s of latest.values()) {
      publisher.emit({ event: CourseEvents.seats, room: Rooms.course(s.courseId), data: s });
    }
    latest.clear();
  };
  return {
    outcome(d) {
      publisher.emit({
        event: CourseEvents.outcome,
        room: Rooms.user(d.studentId),
        data: {
          ticket: d.ticket,
          courseId: d.courseId,
          action: d.action,
          status: d.status,
          ...(d.position !== undefined ? { position: d.position } : {}),
          ...(d.opensAt !== undefined ? { opensAt: d.opensAt } : {}),
          ...(d.swappedFrom !== undefined ? { swappedFrom: d.swappedFrom } : {}),
        },
      });
      // a promotion's persisted notification reaches open inboxes like any other
      if (d.notification) {
        publisher.emit({
          event: 'notification:new',
          room: Rooms.user(d.studentId),
          data: d.notification,
          throttle: false,
        });
      }
    },
    seats(s) {
      latest.set(s.courseId, s);
      if (!timer) {
        timer = setTimeout(sendSeats, seatIntervalMs);
        timer.unref();
      }
    },
    async flush() {
      if (timer) clearTimeout(timer);
      sendSeats();
      await publisher.flush();
    },
  };
}
