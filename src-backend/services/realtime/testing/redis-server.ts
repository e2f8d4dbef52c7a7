import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../../testing/ports.js';
import { waitFor } from '../../../testing/wait-for.js';

/** REDIS_SERVER_BIN, else the first redis-server on PATH, else Debian's location. */
export const REDIS_SERVER_BIN =
  process.env.REDIS_SERVER_BIN ||
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((d) => path.join(d, 'redis-server'))
    .find((p) => fs.existsSync(p)) ||
  '/usr/bin/redis-server';

export interface RedisProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** A throwaway real redis-server on a free port: no persistence, gone when stopped. */
export async function startRedisServer(): Promise<RedisProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    REDIS_SERVER_BIN,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const c = net.connect(port, '127.0.0.1');
        c.once('connect', () => (c.destroy(), resolve(true)));
        c.once('error', () => resolve(false));
      }),
    5000,
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function redisServerAvailable(): boolean {
  return fs.existsSync(REDIS_SERVER_BIN);
}
