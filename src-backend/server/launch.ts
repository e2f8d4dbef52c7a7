import { randomBytes } from 'node:crypto';
import { ConfigError, isLoopbackHost, loadConfig, type RuntimeConfig } from '../shared/config.js';
import { ServiceClient } from '../shared/service-client.js';
import { createSessionResolver } from '../shared/session-auth.js';
import { ensureSocketDir } from '../shared/socket-dir.js';
import { ConsoleDispatcher } from '../gateway/dispatch.js';
import type { ProcessHost } from '../supervisor/process-host.js';
import { Supervisor } from '../supervisor/supervisor.js';

export interface BackendOptions {
  readonly host: ProcessHost;
  /** folder with the built `<service>.js` entries */
  readonly entryDir: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Electron keeps its data in userData; server mode uses DATA_DIR or the XDG default */
  readonly dataDir?: string;
}

export interface Backend {
  readonly config: RuntimeConfig;
  readonly supervisor: Supervisor;
  readonly dispatcher: ConsoleDispatcher;
  readonly client: ServiceClient;
  /** stop every service (data last) within `budgetMs`, then the client */
  close(budgetMs?: number): Promise<void>;
}

/**
 * Everything server mode and the desktop app share: config with a fresh internal token,
 * a private SOCKET_DIR, the supervisor and the console dispatcher. Nothing is started yet.
 */
export function createBackend(opts: BackendOptions): Backend {
  const env = opts.env ?? process.env;
  const base = loadConfig(env);
  const config: RuntimeConfig = Object.freeze({
    ...base,
    dataDir: opts.dataDir ?? base.dataDir,
    // One token per launch, handed to the children through their environment only; a given one
    // is kept, since services on other hosts (<NAME>_URL) must share it.
    internalToken: base.internalToken || randomBytes(32).toString('hex'),
  });
  if (config.useSockets) ensureSocketDir(config.socketDir);
  const gatewayOrigins = [`http://127.0.0.1:${config.gatewayPort}`, `http://localhost:${config.gatewayPort}`];
  const childEnv: Record<string, string> = {
    REALTIME_ALLOWED_ORIGINS: env.REALTIME_ALLOWED_ORIGINS ?? gatewayOrigins.join(','),
  };
  if (!isLoopbackHost(config.host)) childEnv.REQUIRE_ADMIN_2FA = 'true';
  const supervisor = new Supervisor({ host: opts.host, config, entryDir: opts.entryDir, env: childEnv });
  const client = new ServiceClient({ config });
  const dispatcher = new ConsoleDispatcher({
    client,
    // no waiting for a restarting auth_node here: supervisor operations fall back to their grace at once
    resolver: createSessionResolver(client, { ttlMs: 2000, retryForMs: 0 }),
    supervisor,
  });
  return {
    config,
    supervisor,
    dispatcher,
    client,
    close: async (budgetMs) => {
      await supervisor.stopAll(budgetMs);
      await client.close();
    },
  };
}

export { ConfigError };
