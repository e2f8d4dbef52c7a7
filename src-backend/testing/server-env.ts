import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { PORT_ENV, SERVICE_NAMES } from '../contracts/services.js';
import { freePorts } from './ports.js';
import { shortTempDir } from './stack.js';

export interface ServerModeEnv {
  readonly socketDir: string;
  readonly dataDir: string;
  readonly gatewayPort: number;
  /** the whole environment for server.js: fresh folders and free ports, nothing inherited but PATH */
  readonly env: Readonly<Record<string, string>>;
  cleanup(): void;
}

/** A sandbox for one run of server mode (`npm run server` / `npm start` without Electron). */
export async function serverModeEnv(): Promise<ServerModeEnv> {
  const ports = await freePorts(SERVICE_NAMES.length + 1);
  const socketDir = shortTempDir('csc-s-');
  const dataDir = shortTempDir('csc-d-');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    SOCKET_DIR: socketDir,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: 'server-mode-test-Passw0rd!',
  };
  SERVICE_NAMES.forEach((name, i) => (env[PORT_ENV[name]] = String(ports[i])));
  const gatewayPort = ports[SERVICE_NAMES.length]!;
  env.GATEWAY_PORT = String(gatewayPort);
  return {
    socketDir,
    dataDir,
    gatewayPort,
    env,
    cleanup: () => {
      fs.rmSync(socketDir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The direct children of `pid` (Linux `ps`). */
export function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
