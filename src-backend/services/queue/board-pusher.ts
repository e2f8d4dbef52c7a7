import type { Logger } from 'pino';
import { CourseEvents } from '../../contracts/realtime-internal.js';
import type { RegistrationBoard } from '../../contracts/registrar.js';
import { DataCourseRoutes } from '../../contracts/routes/data-courses.js';
import type { RealtimePublisher } from '../../shared/realtime-publisher.js';
import type { ServiceClient } from '../../shared/service-client.js';
import type { QueueMeter } from './queue-meter.js';

/** The whole board: the queue's figures and data_node's per-course ones. */
export async function registrationBoard(client: ServiceClient, meter: QueueMeter): Promise<RegistrationBoard> {
  const { courses } = await client.call(DataCourseRoutes.boardCourses, { timeoutMs: 5000 });
  return { ...meter.board(), courses };
}

/**
 * Pushes `board:update` on /admin: each second while decisions flow, every 5 s when idle. One
 * push at a time, so a slow data service never piles calls up.
 */
export function startBoardPusher(
  client: ServiceClient,
  meter: QueueMeter,
  publisher: Pick<RealtimePublisher, 'emit'>,
  logger?: Pick<Logger, 'warn'>,
): () => void {
  let lastTotal = -1;
  let lastPush = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const now = Date.now();
    if (meter.total === lastTotal && now - lastPush < 5000) return;
    busy = true;
    lastTotal = meter.total;
    lastPush = now;
    registrationBoard(client, meter)
      .then((board) => publisher.emit({ event: CourseEvents.board, data: board, throttle: false }))
      .catch((err: Error) => logger?.warn({ err: err.message }, 'registration board not pushed'))
      .finally(() => (busy = false));
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
