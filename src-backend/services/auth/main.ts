import { runService } from '../../shared/service-main.js';
import { buildAuthApp } from './app.js';
import { ensureFirstAdmin } from './first-admin.js';

await runService({
  name: 'auth_node',
  build: async (ctx) => {
    const { app, deps } = await buildAuthApp({ config: ctx.config, client: ctx.client, logger: ctx.logger });
    await ensureFirstAdmin(deps.store, deps.settings.adminPassword, ctx.logger);
    return app;
  },
});
