import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode } from '../../contracts/errors.js';
import { unavailable } from '../../shared/app-error.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import { ServiceCallError, type ServiceClient } from '../../shared/service-client.js';
import { RegistrationQueue, type RegistrationQueueOptions } from './registration-queue.js';
import type { SelectionEvents } from './selection-events.js';
import { QueueRoutes } from '../../contracts/routes/queue.js';
import { registerRoute } from '../../shared/register-route.js';
import type { RealtimePublisher } from '../../shared/realtime-publisher.js';
import { startBoardPusher } from './board-pusher.js';

export interface QueueAppOptions {
  readonly client: ServiceClient;
  readonly internalToken: string;
  readonly events: SelectionEvents;
  readonly logger?: FastifyBaseLogger;
  readonly queue?: RegistrationQueueOptions;
  /** where the registration board is pushed (`board:update` on /admin); none: not pushed */
  readonly boardPublisher?: Pick<RealtimePublisher, 'emit'>;
}

/** queue_node: internal only; student_node hands it every select and deselect. */
export async function buildQueueApp(opts: QueueAppOptions): Promise<{ app: App; queue: RegistrationQueue }> {
  const app = createBaseApp({
    service: 'queue_node',
    logger: opts.logger,
    internalToken: opts.internalToken,
  });
  const queue = new RegistrationQueue(opts.client, opts.events, { logger: opts.logger, ...opts.queue });

  registerRoute(app, QueueRoutes.submit, {}, async (req) => {
    try {
      return { results: await queue.submit(req.body.requests) };
    } catch (err) {
      // storage that takes no writes is said as such (with its Retry-After), not as a queue fault
      if (err instanceof ServiceCallError && err.code === ErrorCode.STORAGE_UNAVAILABLE) throw err;
      throw unavailable(`requests not accepted: ${(err as Error).message}`, 'QUEUE_NOT_ACCEPTED');
    }
  });
  registerRoute(app, QueueRoutes.stats, {}, async () => queue.snapshot());
  registerRoute(app, QueueRoutes.board, {}, async () => queue.meter.board());
  const stopBoard = opts.boardPublisher
    ? startBoardPusher(opts.client, queue.meter, opts.boardPublisher, opts.logger)
    : () => undefined;
  app.addHook('onClose', async () => {
    stopBoard();
    queue.close();
    await opts.events.flush();
  });
  return { app, queue };
}
