import { createRealtimePublisher } from '../../shared/realtime-publisher.js';
import { runService } from '../../shared/service-main.js';
import { buildQueueApp } from './app.js';
import { queueOptionsFromEnv } from './queue-env.js';
import { createSelectionEvents } from './selection-events.js';

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'queue_node',
  build: async (ctx) => {
    const publisher = createRealtimePublisher(ctx.client, ctx.logger);
    const events = createSelectionEvents(publisher);
    const { app } = await buildQueueApp({
      client: ctx.client,
      internalToken: ctx.config.internalToken,
      events,
      logger: ctx.logger,
      queue: queueOptionsFromEnv(),
      boardPublisher: publisher,
    });
    return app;
  },
});
