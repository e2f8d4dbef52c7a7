import { runService } from '../../shared/service-main.js';
import { buildDataApp } from './app.js';

await runService({
  name: 'data_node',
  build: async (ctx) => (await buildDataApp({ config: ctx.config, logger: ctx.logger })).app,
});
