import type http from 'node:http';
import type { Logger } from 'pino';
import { PORT_ENV, type ServiceName } from '../contracts/services.js';
import { START_GATE_ENV } from '../contracts/supervisor.js';
import { ConfigError, EXIT_CONFIG, loadConfig, socketPathFor, type RuntimeConfig } from './config.js';
import { SERVICE_READY_EVENT } from './code-cache.js';
import type { App } from './create-app.js';
import { IN_FLIGHT_GRACE_MS } from './connection-drain.js';
import { listenDual, type Listening } from './dual-listen.js';
import { createLogger } from './logger.js';
import { getParentChannel, type ParentChannel } from './parent-channel.js';
import { ServiceClient } from './service-client.js';
import { settlesWithin } from './settles-within.js';
import { ensureSocketDir } from './socket-dir.js';

export interface ServiceContext {
  readonly service: ServiceName;
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  readonly client: ServiceClient;
}

export interface ServiceDefinition {
  readonly name: ServiceName;
  build(ctx: ServiceContext): Promise<App> | App;
  /** once listening, before the ready message: the servers, for protocols beside Fastify (Socket.IO) */
  onListening?(servers: {
    readonly tcp: http.Server;
    readonly socket: http.Server | null;
    readonly port: number;
  }): Promise<void> | void;
  /** first thing on shutdown, before the servers close: end long-lived connections (WebSockets) */
  onDrain?(): Promise<void> | void;
  /** after the servers have closed and in-flight requests drained: close the database etc. */
  onShutdown?(): Promise<void> | void;
}

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 8000;

/** How long a supervised service waits for its turn after asking to stop (the supervisor's whole stop fits in it). */
const STOP_REQUEST_WAIT_MS = 9000;
export { EXIT_CONFIG };

/**
 * The whole life of a service process: config, listen on socket + port, ready handshake,
 * graceful shutdown. Each service's main.ts is one call to this.
 */
export async function runService(def: ServiceDefinition): Promise<void> {
  // Whatever a service writes (the database, log files) is for this user alone, whatever the
  // umask it was started with.
  if (process.platform !== 'win32') process.umask(0o077);
  const channel = getParentChannel();
  const logger = createLogger(def.name);
  let app: App | undefined;
  let listening: Listening | undefined;
  let client: ServiceClient | undefined;

  const fail = (message: string): never => {
    process.stderr.write(`${def.name}: ${message}\n`);
    channel?.send({ type: 'fatal', service: def.name, message });
    process.exit(EXIT_CONFIG);
  };

  try {
    const config = loadConfig();
    const socketPath = config.useSockets ? socketPathFor(def.name, config.socketDir) : null;
    if (socketPath) ensureSocketDir(config.socketDir);
    if (channel && process.env[START_GATE_ENV] === '1') await waitAtStartGate(channel, def.name);
    client = new ServiceClient({ config, warn: (message) => logger.warn(message) });
    app = await def.build({ service: def.name, config, logger, client });
    listening = await listenDual(app, {
      service: def.name,
      host: config.host,
      port: config.ports[def.name],
      portEnv: PORT_ENV[def.name],
      socketPath,
    });
    await def.onListening?.({ tcp: app.server, socket: listening.socketServer, port: listening.port });
    logger.info(
      { port: listening.port, socket: socketPath },
      `${def.name} listening on ${config.host}:${listening.port}${socketPath ? ` and ${socketPath}` : ''}`,
    );
    channel?.send({
      type: 'ready',
      service: def.name,
      pid: process.pid,
      http: { host: config.host, port: listening.port },
      socket: socketPath,
    });
    // for the entry's code cache (code-cache.ts): start-up has compiled what it needs by now
    (process as NodeJS.EventEmitter).emit(SERVICE_READY_EVENT);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    logger.fatal({ err }, 'start-up failed');
    fail(`start-up failed: ${(err as Error).message}`);
  }

  let stopping = false;
  let stopRequested = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${def.name} shutting down (${reason})`);
    const deadline = setTimeout(() => {
      process.stderr.write(`${def.name}: shutdown took over ${SHUTDOWN_DEADLINE_MS} ms, exiting anyway\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      app!.draining = true;
      await def.onDrain?.();
      const closed = (async () => {
        await listening?.close();
        await app!.close();
      })();
      if (!(await settlesWithin(closed, IN_FLIGHT_GRACE_MS))) {
        logger.warn(`requests still in flight after ${IN_FLIGHT_GRACE_MS} ms: answering them 503`);
        listening?.force();
        await closed;
      }
      await def.onShutdown?.();
      await client?.close();
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
    }
    logger.flush?.();
    process.exit(0);
  };

  // systemd stops a unit's whole cgroup and `kill -- -PGID` a whole group: every service gets
  // SIGTERM at once. A supervised one asks the supervisor, which stops them in reverse order
  // (data last) and answers with 'shutdown'; if no answer comes, it stops by itself.
  process.on('SIGTERM', () => {
    if (stopping) return; // the supervisor's own stop sends the message and SIGTERM
    if (!channel || stopRequested) return void shutdown('SIGTERM');
    stopRequested = true;
    logger.info(`${def.name} got SIGTERM: asking the supervisor to stop it in turn`);
    channel.send({ type: 'stop-requested', service: def.name, signal: 'SIGTERM' });
    setTimeout(() => void shutdown('SIGTERM, no word from the supervisor'), STOP_REQUEST_WAIT_MS).unref();
  });
  // Ctrl-C sends SIGINT to the whole process group. A child forked by our Node supervisor leaves
  // it to the supervisor, which stops the services in reverse order (data last); 'disconnect'
  // below still ends it if the supervisor dies. Run on its own, SIGINT stops it as usual.
  process.on('SIGINT', () => {
    if (!process.connected) void shutdown('SIGINT');
  });
  channel?.onMessage((msg) => {
    if (msg.type === 'shutdown') void shutdown('shutdown message');
  });
  // A forked child whose parent died must not linger as an orphan.
  process.on('disconnect', () => void shutdown('parent went away'));
  // A parent that died while we were still starting sent its 'disconnect' before anyone listened.
  if (typeof process.send === 'function' && !process.connected) void shutdown('parent went away during start-up');
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });
}

/**
 * The code is loaded (main.ts imported everything); say so and wait for the supervisor's 'start'.
 * A shutdown or a vanished parent meanwhile ends the process: nothing is open yet.
 */
function waitAtStartGate(channel: ParentChannel, service: ServiceName): Promise<void> {
  return new Promise((resolve) => {
    let waiting = true;
    const leave = () => process.exit(0);
    process.once('disconnect', leave);
    channel.onMessage((msg) => {
      if (!waiting) return; // the listener stays; after the gate, shutdown is handled gracefully
      if (msg.type === 'shutdown') leave();
      if (msg.type === 'start') {
        waiting = false;
        process.off('disconnect', leave);
        resolve();
      }
    });
    channel.send({ type: 'loaded', service });
  });
}
