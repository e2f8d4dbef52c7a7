import type { FastifyBaseLogger } from 'fastify';
import type { RuntimeConfig } from '../../shared/config.js';
import { createBaseApp, type App } from '../../shared/create-app.js';

export interface DataAppOptions {
  readonly config: RuntimeConfig;
  readonly logger?: FastifyBaseLogger;
}

/** The data service: the only process that opens the SQLite file. */
export async function buildDataApp(opts: DataAppOptions): Promise<{ app: App; close: () => void }> {
  const app = createBaseApp({ service: 'data_node', logger: opts.logger });
  return { app, close: () => {} };
}
