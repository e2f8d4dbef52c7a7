import type { Database } from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';
import type { RuntimeConfig } from '../../shared/config.js';
import { createBaseApp, type App } from '../../shared/create-app.js';
import { isInternalCall } from '../../shared/internal-auth.js';
import { unauthorized } from '../../shared/app-error.js';
import type { AuditEntry } from '../../contracts/auth.js';
import { openDatabase } from './db/open.js';
import { AuditRepo } from './identity/audit-repo.js';
import { identityRoutes } from './routes/identity.js';
import { courseRoutes } from './routes/courses.js';
import { messagingRoutes } from './routes/messaging.js';

export interface DataAppOptions {
  readonly config: Pick<RuntimeConfig, 'dataDir' | 'internalToken'>;
  readonly logger?: FastifyBaseLogger;
  /** tests may hand in an already-open database */
  readonly db?: Database;
  /** every new audit entry, for the console's live Audit view */
  readonly onAudit?: (entry: AuditEntry) => void;
}

/** Routes anyone may call; everything else on the data service is internal. */
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /courses']);

/** The data service: the only process that opens the SQLite file. */
export async function buildDataApp(opts: DataAppOptions): Promise<{ app: App; db: Database; close: () => void }> {
  const db = opts.db ?? openDatabase(opts.config.dataDir);
  const app = createBaseApp({ service: 'data_node', logger: opts.logger, bodyLimit: 16 * 1024 * 1024 });
  app.addHook('onRequest', async (request) => {
    const key = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (PUBLIC_ROUTES.has(key)) return;
    if (!isInternalCall(request, opts.config.internalToken))
      throw unauthorized('the data service is internal', 'INTERNAL_ONLY');
  });
  const audit = new AuditRepo(db, opts.onAudit);
  await app.register(identityRoutes, { db, audit });
  await app.register(courseRoutes, { db, audit });
  await app.register(messagingRoutes, { db });
  app.addHook('onClose', async () => {
    if (db.open) db.close();
  });
  return { app, db, close: () => (db.open ? db.close() : undefined) };
}
