import { createRealtimePublisher, type RealtimePublisher } from '../../shared/realtime-publisher.js';
import { runService } from '../../shared/service-main.js';
import { sessionCacheMsFromEnv } from '../../shared/session-auth.js';
import { buildTeacherApp } from './app.js';

let publisher: RealtimePublisher | undefined;

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'teacher_node',
  build: (ctx) => {
    publisher = createRealtimePublisher(ctx.client, ctx.logger);
    return buildTeacherApp({
      client: ctx.client,
      internalToken: ctx.config.internalToken,
      logger: ctx.logger,
      publisher,
      sessionCacheMs: sessionCacheMsFromEnv(),
    });
  },
  onShutdown: () => publisher?.flush(),
});
