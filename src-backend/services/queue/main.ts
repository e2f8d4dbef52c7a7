import { createRealtimePublisher } from '../../shared/realtime-publisher.js';
import { runService } from '../../shared/service-main.js';
import { buildQueueApp } from './app.js';
import { queueOptionsFromEnv } from './queue-env.js';
import { createSelectionEvents } from './selection-events.js';

await runService({
  name: 'queue_node',
  build: async (ctx) => {
    const events = createSelectionEvents(createRealtimePublisher(ctx.client, ctx.logger));
    const { app } = await buildQueueApp({
      client: ctx.client,
      internalToken: ctx.config.internalToken,
      events,
      logger: ctx.logger,
      queue: queueOptionsFromEnv(),
    });
    return app;
  },
});
