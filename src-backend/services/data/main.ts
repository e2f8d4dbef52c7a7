import { createRealtimePublisher, type RealtimePublisher } from '../../shared/realtime-publisher.js';
import { runService } from '../../shared/service-main.js';
import { buildDataApp } from './app.js';

let publisher: RealtimePublisher | undefined;

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'data_node',
  build: async (ctx) => {
    // New audit entries go to the console's Audit view live; best effort, the table is the truth.
    publisher = createRealtimePublisher(ctx.client, ctx.logger);
    const p = publisher;
    return (
      await buildDataApp({
        config: ctx.config,
        logger: ctx.logger,
        // a graceful stop; the supervisor starts it again, and the new start opens for writing
        reopen: () => process.kill(process.pid, 'SIGTERM'),
        onAudit: (entry) => p.adminEvent('audit_entry', { ...entry }),
      })
    ).app;
  },
  onShutdown: () => publisher?.flush(),
});
