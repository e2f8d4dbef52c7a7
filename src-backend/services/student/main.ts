import { ConfigError } from '../../shared/config.js';
import { runService } from '../../shared/service-main.js';
import { buildStudentApp } from './app.js';

/**
 * SESSION_CACHE_MS (default 3000, at most 60000): how long student_node trusts a resolved
 * session. Longer saves auth round trips in a rush; logout and disable take effect within it.
 */
function sessionCacheMs(raw = process.env.SESSION_CACHE_MS): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 60_000)
    throw new ConfigError(`SESSION_CACHE_MS=${raw} is not a whole number of ms from 0 to 60000`);
  return n;
}

await runService({
  name: 'student_node',
  build: (ctx) => buildStudentApp({ client: ctx.client, logger: ctx.logger, sessionCacheMs: sessionCacheMs() }),
});
