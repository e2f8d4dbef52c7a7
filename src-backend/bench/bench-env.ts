import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortEnv } from '../testing/ports.js';

/** A fresh private socket folder, data folder, token and free ports for one benchmark stack. */
export async function makeBenchEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-b-'));
  fs.chmodSync(socketDir, 0o700);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-bd-'));
  return {
    SOCKET_DIR: socketDir,
    DATA_DIR: dataDir,
    INTERNAL_TOKEN: randomBytes(32).toString('hex'),
    ...(await freePortEnv()).env,
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Remove the folders makeBenchEnv made. */
export function removeBenchDirs(env: Record<string, string>): void {
  for (const dir of [env.SOCKET_DIR, env.DATA_DIR]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc; NaN where that cannot be read. */
export function processCpuSeconds(pid: number | 'self'): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks of 1/100 s (USER_HZ)
  } catch {
    return NaN;
  }
}
