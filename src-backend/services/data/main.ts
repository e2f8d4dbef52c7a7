import { runService } from '../../shared/service-main.js';
import { buildDataApp } from './app.js';

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'data_node',
  build: async (ctx) => (await buildDataApp({ config: ctx.config, logger: ctx.logger })).app,
});
