import fs from 'node:fs';
import { ConfigError } from './config.js';
import { assertSafeAncestors } from './folder-ancestry.js';

/**
 * Make sure SOCKET_DIR is a private folder of ours before any socket goes in it.
 * A symlink or a folder owned by someone else could let another user intercept
 * internal calls, so both are refused rather than repaired, as is a folder above it that
 * someone else could swap (folder-ancestry.ts).
 */
export function ensureSocketDir(dir: string): void {
  if (process.platform === 'win32') return; // named pipes do not live in a folder
  assertSafeAncestors('SOCKET_DIR', dir);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw describe(dir, err);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask
    } catch (mkErr) {
      throw describe(dir, mkErr);
    }
    st = fs.lstatSync(dir);
  }
  if (st.isSymbolicLink()) {
    throw new ConfigError(`SOCKET_DIR ${dir} is a symlink; refusing to start (use a real folder)`);
  }
  if (!st.isDirectory()) throw new ConfigError(`SOCKET_DIR ${dir} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new ConfigError(
      `SOCKET_DIR ${dir} is owned by uid ${st.uid}, not by this user (uid ${uid}); refusing to start`,
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new ConfigError(
      `SOCKET_DIR ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); run chmod 700 on it`,
    );
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new ConfigError(`SOCKET_DIR ${dir} is not writable by this user`);
  }
}

function describe(dir: string, err: unknown): ConfigError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS'
      ? 'is not writable'
      : e.code === 'ENOTDIR'
        ? 'has a file where a folder should be'
        : `cannot be created (${e.code ?? e.message})`;
  return new ConfigError(`SOCKET_DIR ${dir} ${why}`);
}
