import type { Database } from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';
import type { RuntimeConfig } from '../../shared/config.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import { openDatabaseOrReadOnly } from './db/open.js';
import { StorageHealth, isStorageError } from './db/storage-health.js';
import type { AuditEntry } from '../../contracts/auth.js';
import { AuditRepo } from './identity/audit-repo.js';
import { identityRoutes } from './routes/identity.js';
import { courseRoutes } from './routes/courses.js';
import { createCourseDomain } from './courses/domain.js';
import { messagingRoutes } from './routes/messaging.js';

export interface DataAppOptions {
  readonly config: Pick<RuntimeConfig, 'dataDir' | 'internalToken'>;
  readonly logger?: FastifyBaseLogger;
  /** tests may hand in an already-open database */
  readonly db?: Database;
  /** opened read-only and the storage takes writes again: start over with a writable connection */
  readonly reopen?: () => void;
  /** every new audit entry, for the console's live Audit view */
  readonly onAudit?: (entry: AuditEntry) => void;
}

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
  // Only the routes the tables call public (the course list, /health) answer without the token.
  const app = createBaseApp({
    service: 'data_node',
    logger: opts.logger,
    internalToken: opts.config.internalToken,
    internalByDefault: true,
    degradedReason: () => storage.reason,
    // A write the disk refused is a 503 the caller may retry, not a 500.
    mapError: (err) => (isStorageError(err) ? storage.failed(err) : err),
  });
  const audit = new AuditRepo(db, opts.onAudit);
  const courses = createCourseDomain(db, audit);
  await app.register(identityRoutes, { db, audit, seatsFreed: courses.seatsFreed });
  await app.register(courseRoutes, { db, domain: courses });
  await app.register(messagingRoutes, { db });
  app.addHook('onClose', async () => {
    storage.close();
    if (db.open) db.close();
  });
  return { app, db, close: () => (db.open ? db.close() : undefined) };
}
