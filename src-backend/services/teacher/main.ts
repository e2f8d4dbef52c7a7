import { createRealtimePublisher, type RealtimePublisher } from '../../shared/realtime-publisher.js';
import { runService } from '../../shared/service-main.js';
import { buildTeacherApp } from './app.js';

let publisher: RealtimePublisher | undefined;

await runService({
  name: 'teacher_node',
  build: (ctx) => {
    publisher = createRealtimePublisher(ctx.client, ctx.logger);
    return buildTeacherApp({ client: ctx.client, logger: ctx.logger, publisher });
  },
  onShutdown: () => publisher?.flush(),
});
