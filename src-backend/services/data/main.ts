import { runService } from '../../shared/service-main.js';
import { buildDataApp } from './app.js';

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'data_node',
  build: async (ctx) =>
    (
      await buildDataApp({
        config: ctx.config,
        logger: ctx.logger,
        // a graceful stop; the supervisor starts it again, and the new start opens for writing
        reopen: () => process.kill(process.pid, 'SIGTERM'),
      })
    ).app,
});
