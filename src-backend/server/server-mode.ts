import { ConfigError, socketPathFor } from '../shared/config.js';
import { listenDual } from '../shared/dual-listen.js';
import { createLogger } from '../shared/logger.js';
import { buildGatewayApp } from '../gateway/app.js';
import type { ProcessHost } from '../supervisor/process-host.js';
import { createBackend } from './launch.js';
import { ServerStop } from './server-stop.js';
import { formatStatusTable } from './status-table.js';
import { readVersion } from './version.js';

const HELP = `Usage: npm run server [-- --verbose]

Runs the six services under the supervisor and serves the admin console
on http://HOST:GATEWAY_PORT (default http://127.0.0.1:8000). Ctrl-C stops everything
(within 10 s, data last); a second Ctrl-C kills what is still running at once.

  --verbose   print every service log line (default: warnings and errors only)
  --help      show this help`;

export interface ServerModeOptions {
  readonly host: ProcessHost;
  /** folder with the built `<service>.js` entries */
  readonly entryDir: string;
  /** the built console */
  readonly staticDir: string;
  readonly argv: readonly string[];
}

/** Headless mode: the supervisor, the six services and the gateway, until Ctrl-C. */
export async function runServerMode(opts: ServerModeOptions): Promise<void> {
  const args = opts.argv.filter((a) => a !== '--server');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return;
  }
  const unknown = args.filter((a) => a !== '--verbose');
  if (unknown.length) {
    process.stderr.write(`server: unknown option ${unknown[0]} (see --help)\n`);
    process.exit(2);
  }
  const verbose = args.includes('--verbose');
  const backend = createBackend({ host: opts.host, entryDir: opts.entryDir });
  const { config, supervisor } = backend;

  // Warnings, errors and anything a child wrote to stderr reach the terminal.
  supervisor.onLog((r) => {
    if (verbose || r.level === 'warn' || r.level === 'error' || r.level === 'fatal') {
      process.stderr.write(`[${r.service}] ${r.level}: ${r.msg}\n`);
    }
  });

  // The first start's admin password: here and nowhere else.
  supervisor.onTerminal((t) => process.stderr.write(`[${t.service}] ${t.line}\n`));

  // A crash is news to whoever watches the terminal, whatever the log level.
  supervisor.onCrash((c) => {
    const how = c.exit.signal ? `killed by ${c.exit.signal}` : `exited with code ${c.exit.code}`;
    const next = c.restartInMs === null ? 'gave up on it' : `restarting in ${c.restartInMs} ms`;
    process.stderr.write(`[${c.name}] crashed (${how}); ${next}\n`);
  });

  const gateway = buildGatewayApp({
    config,
    dispatcher: backend.dispatcher,
    staticDir: opts.staticDir,
    appInfo: { mode: 'server', version: readVersion(), realtimeUrl: '', portalUrl: '/portal/' },
    // The terminal is for people: the gateway's own lines are pino JSON, so only problems reach it.
    logger: verbose ? createLogger('gateway') : createLogger('gateway').child({}, { level: 'warn' }),
  });
  const listening = await listenDual(gateway, {
    service: 'gateway',
    host: config.host,
    port: config.gatewayPort,
    portEnv: 'GATEWAY_PORT',
    socketPath: config.useSockets ? socketPathFor('gateway', config.socketDir) : null,
  });

  const stop = new ServerStop({
    gateway,
    listening,
    backend,
    write: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
  });
  process.on('SIGINT', () => stop.onSignal('SIGINT'));
  process.on('SIGTERM', () => stop.onSignal('SIGTERM'));

  try {
    await supervisor.startAll();
  } catch (err) {
    // Ctrl-C during start-up stops the processes being waited for: the stop is already on it.
    if (stop.started) return;
    process.stderr.write(`server: ${(err as Error).message}\n`);
    await listening.close();
    await gateway.close();
    await backend.close();
    process.exit(1);
  }
  console.log(
    `Course Selection Console (server mode)\n  console:  http://${config.host}:${listening.port}\n  sockets:  ${config.useSockets ? config.socketDir : 'off (USE_SOCKETS=false)'}\n  data:     ${config.dataDir}\n`,
  );
  console.log(formatStatusTable(supervisor.status()));
  console.log('\nPress Ctrl-C to stop.');
}

export function exitOnStartupError(err: unknown): never {
  const msg = err instanceof ConfigError ? err.message : `start-up failed: ${(err as Error).message}`;
  process.stderr.write(`server: ${msg}\n`);
  process.exit(err instanceof ConfigError ? 78 : 1);
}
