import { runService } from '../../shared/service-main.js';
import { buildAuthApp } from './app.js';
import { ensureFirstAdmin } from './first-admin.js';

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'auth_node',
  build: async (ctx) => {
    const { app, deps } = await buildAuthApp({ config: ctx.config, client: ctx.client, logger: ctx.logger });
    await ensureFirstAdmin(deps.store, deps.settings.adminPassword, ctx.logger);
    return app;
  },
});
