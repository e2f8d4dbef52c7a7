import type { Database } from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';
import type { RuntimeConfig } from '../../shared/config.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import { isInternalCall } from '../../shared/internal-auth.js';
import { unauthorized } from '../../shared/app-error.js';
import { openDatabaseOrReadOnly } from './db/open.js';
import { StorageHealth, isStorageError } from './db/storage-health.js';
import { identityRoutes } from './routes/identity.js';
import { courseRoutes } from './routes/courses.js';
import { messagingRoutes } from './routes/messaging.js';

export interface DataAppOptions {
  readonly config: Pick<RuntimeConfig, 'dataDir' | 'internalToken'>;
  readonly logger?: FastifyBaseLogger;
  /** tests may hand in an already-open database */
  readonly db?: Database;
  /** opened read-only and the storage takes writes again: start over with a writable connection */
  readonly reopen?: () => void;
}

/** Routes anyone may call; everything else on the data service is internal. */
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /courses']);

/** The data service: the only process that opens the SQLite file. */
export async function buildDataApp(opts: DataAppOptions): Promise<{ app: App; db: Database; close: () => void }> {
  const opened = opts.db
    ? { db: opts.db, readOnly: null }
    : openDatabaseOrReadOnly(opts.config.dataDir, { warn: (message) => opts.logger?.warn(message) });
  const db = opened.db;
  const storage = new StorageHealth({
    db,
    dataDir: opts.config.dataDir,
    readOnlyStart: opened.readOnly ?? undefined,
    log: (level, message) => opts.logger?.[level](message),
    reopen: opts.reopen,
  });
  if (opened.readOnly) opts.logger?.warn(opened.readOnly);
  const app = createBaseApp({
    service: 'data_node',
    logger: opts.logger,
    degradedReason: () => storage.reason,
    // A write the disk refused is a 503 the caller may retry, not a 500.
    mapError: (err) => (isStorageError(err) ? storage.failed(err) : err),
  });
  app.addHook('onRequest', async (request) => {
    const key = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (PUBLIC_ROUTES.has(key)) return;
    if (!isInternalCall(request, opts.config.internalToken))
      throw unauthorized('the data service is internal', 'INTERNAL_ONLY');
  });
  await app.register(identityRoutes, { db });
  await app.register(courseRoutes, { db });
  await app.register(messagingRoutes, { db });
  app.addHook('onClose', async () => {
    storage.close();
    if (db.open) db.close();
  });
  return { app, db, close: () => (db.open ? db.close() : undefined) };
}
