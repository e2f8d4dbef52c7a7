import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceName } from '../contracts/services.js';
import { loadConfig, socketPathFor, type RuntimeConfig } from '../shared/config.js';
import { ServiceClient } from '../shared/service-client.js';
import type { BackoffOptions } from '../supervisor/backoff.js';
import { NodeHost } from '../supervisor/node-host.js';
import type { ProcessHost } from '../supervisor/process-host.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { freePortEnv } from './ports.js';

export interface StackOptions {
  /** which services to run (START_ORDER is kept); all six by default */
  readonly services?: readonly ServiceName[];
  /** extra environment for the children */
  readonly env?: Readonly<Record<string, string>>;
  readonly useSockets?: boolean;
  readonly backoff?: Partial<BackoffOptions>;
  /** reuse a data folder (restart tests); a fresh temp one by default */
  readonly dataDir?: string;
  readonly entries?: Readonly<Partial<Record<ServiceName, string>>>;
  readonly readyTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  /** how children are made; a NodeHost by default (tests may wrap it to count forks) */
  readonly host?: ProcessHost;
}

export interface TestStack {
  readonly config: RuntimeConfig;
  /** the environment the children were given, for starting more processes (CLI) against this stack */
  readonly env: Readonly<Record<string, string>>;
  readonly client: ServiceClient;
  readonly supervisor: Supervisor;
  /** what the children wrote for the terminal only (the first start's banner), as a terminal would show it */
  readonly terminal: readonly string[];
  httpUrl(name: ServiceName): string;
  socketPath(name: ServiceName): string;
  pid(name: ServiceName): number;
  stop(): Promise<void>;
}

/** A stack whose processes are not started yet: for tests that expect the start to fail. */
export interface PreparedStack extends TestStack {
  /** startAll; on failure the supervisor is left as it settled, for the test to inspect */
  start(): Promise<void>;
}

/** Where the built entry files are: `npm test` builds to out/, parallel work may use CSC_OUT. */
export function builtEntryDir(): string {
  return path.resolve(process.env.CSC_OUT || 'out', 'main');
}

export function shortTempDir(prefix: string): string {
  // Socket paths must stay under 107 bytes, so keep these in /tmp, not a deep test folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  return dir;
}

/**
 * Real services, as real child processes under the real supervisor, each in its own sandbox
 * of folders and ports so test files can run side by side.
 */
export async function startStack(opts: StackOptions = {}): Promise<TestStack> {
  const stack = await prepareStack(opts);
  try {
    await stack.start();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}

/** Sandbox, config and supervisor of a stack, nothing started. */
export async function prepareStack(opts: StackOptions = {}): Promise<PreparedStack> {
  const socketDir = shortTempDir('csc-s-');
  const dataDir = opts.dataDir ?? shortTempDir('csc-d-');
  const portEnv = await freePortEnv();
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    SOCKET_DIR: socketDir,
    DATA_DIR: dataDir,
    USE_SOCKETS: String(opts.useSockets ?? true),
    INTERNAL_TOKEN: randomBytes(32).toString('hex'),
    ...portEnv.env,
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const config = loadConfig(env);
  const supervisor = new Supervisor({
    host: opts.host ?? new NodeHost(),
    config,
    entryDir: builtEntryDir(),
    env: opts.env,
    services: opts.services,
    backoff: opts.backoff,
    entries: opts.entries,
    readyTimeoutMs: opts.readyTimeoutMs,
    stopTimeoutMs: opts.stopTimeoutMs,
    healthIntervalMs: 1000,
  });
  const client = new ServiceClient({ config });
  const terminal: string[] = [];
  supervisor.onTerminal((t) => terminal.push(t.line));
  let stopped = false;
  return {
    terminal,
    start: () => supervisor.startAll(),
    config,
    env,
    client,
    supervisor,
    httpUrl: (name) => `http://127.0.0.1:${config.ports[name]}`,
    socketPath: (name) => socketPathFor(name, socketDir),
    pid: (name) => {
      const p = supervisor.status().processes.find((s) => s.name === name)?.pid;
      if (!p) throw new Error(`${name} has no pid (not running)`);
      return p;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await supervisor.stopAll();
      await client.close();
      fs.rmSync(socketDir, { recursive: true, force: true });
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
