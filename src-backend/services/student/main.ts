import { runService } from '../../shared/service-main.js';
import { sessionCacheMsFromEnv } from '../../shared/session-auth.js';
import { buildStudentApp } from './app.js';

await runService({
  name: 'student_node',
  build: (ctx) =>
    buildStudentApp({
      client: ctx.client,
      internalToken: ctx.config.internalToken,
      logger: ctx.logger,
      sessionCacheMs: sessionCacheMsFromEnv(),
    }),
});
