import { runService } from '../../shared/service-main.js';
import { buildDataApp } from './app.js';

let close: (() => void) | undefined;
await runService({
  name: 'data_node',
  build: async (ctx) => {
    const built = await buildDataApp({ config: ctx.config, logger: ctx.logger });
    close = built.close;
    return built.app;
  },
  onShutdown: () => close?.(),
});
