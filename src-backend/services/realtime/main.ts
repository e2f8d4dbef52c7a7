import { runService } from '../../shared/service-main.js';
import { buildRealtime, type RealtimeServer } from './app.js';

let rt: RealtimeServer | undefined;

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'realtime',
  build: (ctx) => {
    rt = buildRealtime({ config: ctx.config, client: ctx.client, logger: ctx.logger });
    return rt.app;
  },
  onListening: ({ tcp, socket, port }) => {
    rt!.attach(tcp, port);
    if (socket) rt!.attach(socket);
  },
  onDrain: () => rt?.drain(),
  onShutdown: () => rt?.close(),
});
