import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortEnv } from '../../src-backend/testing/ports.js';

export interface RunningServer {
  readonly baseURL: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
  /** ADMIN_PASSWORD, or the one-time password the first start printed */
  readonly adminPassword: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** folder with the build (`<out>/main/server.js`, `<out>/renderer`) */
  readonly outDir: string;
  /** absent: the first start generates one and prints it once (read back from the log) */
  readonly adminPassword?: string;
  readonly logFile: string;
  readonly readyTimeoutMs?: number;
  /**
   * When start-up counts as done: all six processes running (checked with an admin session),
   * or only that the admin can sign in (for first-run states whose session may do nothing else).
   * Default: all six when a password is given.
   */
  readonly readyWhen?: 'all-running' | 'admin-can-sign-in';
  /** more environment for the server and its services, e.g. REQUIRE_ADMIN_2FA */
  readonly env?: Readonly<Record<string, string>>;
}

/** Build once when the bundle is missing, as `npm run server` does. */
export function ensureBuilt(outDir: string): void {
  if (
    fs.existsSync(path.join(outDir, 'main', 'server.js')) &&
    fs.existsSync(path.join(outDir, 'renderer', 'index.html'))
  )
    return;
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, CSC_OUT: path.basename(outDir) },
  });
}

function tempDir(prefix: string): string {
  // Socket paths must stay under 107 bytes: keep them in /tmp, private to us.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  return dir;
}

/**
 * Server mode (`node <out>/main/server.js`) as a real process tree, with a fresh data folder,
 * socket folder and free ports for this run. Resolves once the gateway serves the console and
 * the admin can sign in, i.e. data, realtime and auth are all up.
 */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const dataDir = tempDir('csc-e2e-d-');
  const socketDir = tempDir('csc-e2e-s-');
  const portEnv = await freePortEnv();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SOCKET_DIR: socketDir,
    USE_SOCKETS: 'true',
    ...portEnv.env,
    ADMIN_PASSWORD: opts.adminPassword ?? '',
    LOG_LEVEL: 'info',
    NO_COLOR: '1',
    ...opts.env,
  };
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, [path.join(opts.outDir, 'main', 'server.js'), '--verbose'], {
    env,
    stdio: ['ignore', log, log],
    // Its own process group, so teardown can reach every service even if the supervisor hangs.
    detached: true,
  });
  fs.closeSync(log);
  const baseURL = `http://127.0.0.1:${portEnv.ports.gateway}`;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));

  const stop = async () => {
    if (exited !== null || child.pid === undefined) return cleanup();
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timedOut = await Promise.race([
      gone.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), 15_000)),
    ]);
    if (timedOut) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await gone;
    }
    cleanup();
  };
  const cleanup = () => {
    for (const d of [dataDir, socketDir]) fs.rmSync(d, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  let adminPassword = opts.adminPassword ?? null;
  try {
    for (;;) {
      if (exited !== null) throw new Error(`server mode exited with ${exited} during start-up; see ${opts.logFile}`);
      if (Date.now() > deadline) throw new Error(`server mode was not ready in time; see ${opts.logFile}`);
      adminPassword ??= printedPassword(opts.logFile);
      // A generated password must be changed before the session may do anything else,
      // so then "ready" is: the console is served and the admin can sign in.
      const allSix =
        (opts.readyWhen ?? (opts.adminPassword !== undefined ? 'all-running' : 'admin-can-sign-in')) === 'all-running';
      if (adminPassword && (await ready(baseURL, adminPassword, allSix))) break;
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseURL, pid: child.pid!, dataDir, socketDir, logFile: opts.logFile, adminPassword: adminPassword!, stop };
}

/** The first start's banner line `password: <one-time password>` (the supervisor prefixes it with the service). */
function printedPassword(logFile: string): string | null {
  const m = /\bpassword: (\S+)\s*$/m.exec(fs.readFileSync(logFile, 'utf8'));
  return m ? m[1]! : null;
}

async function ready(baseURL: string, password: string, allSix: boolean): Promise<boolean> {
  try {
    const cfg = await fetch(`${baseURL}/api/config`, { signal: AbortSignal.timeout(2000) });
    if (!cfg.ok) return false;
    if (!allSix) return (await adminToken(baseURL, password)).length > 0;
    const res = await fetch(`${baseURL}/api/supervisor/status`, {
      headers: { authorization: `Bearer ${await adminToken(baseURL, password)}` },
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) return false;
    const status = (await res.json()) as { processes: { state: string }[] };
    return status.processes.length === 6 && status.processes.every((p) => p.state === 'running');
  } catch {
    return false;
  }
}

async function adminToken(baseURL: string, password: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/auth_node/login/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`admin login: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
