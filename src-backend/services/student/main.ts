import { runService } from '../../shared/service-main.js';
import { sessionCacheMsFromEnv } from '../../shared/session-auth.js';
import { buildStudentApp } from './app.js';

// not awaited: the build also bundles this entry as CommonJS (shared/code-cache.ts), which has no top-level await
void runService({
  name: 'student_node',
  build: (ctx) =>
    buildStudentApp({
      client: ctx.client,
      internalToken: ctx.config.internalToken,
      logger: ctx.logger,
      sessionCacheMs: sessionCacheMsFromEnv(),
    }),
});
