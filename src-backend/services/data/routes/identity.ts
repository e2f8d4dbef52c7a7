import type { Database } from 'better-sqlite3';
import type { App } from '../../../shared/create-app.js';

export interface DataRouteOptions {
  readonly db: Database;
}

export async function identityRoutes(app: App, opts: DataRouteOptions): Promise<void> {
  void app;
  void opts;
}
