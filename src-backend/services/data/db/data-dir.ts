import fs from 'node:fs';
import { ConfigError } from '../../../shared/config.js';
import { assertSafeAncestors } from '../../../shared/folder-ancestry.js';

/** SQLite's files for one database: the file itself and WAL's two side files. */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * Make DATA_DIR ready for the database: no folder above it that someone else could swap, a
 * folder of ours (0700 when we create it) that no one else can write to, and the database
 * files 0600 whatever the umask. A folder that already exists readable by others (0755) is
 * left as its owner made it, with one warning: the files in it stay private anyway.
 */
export function prepareDataDir(dir: string, dbFile: string, warn: (message: string) => void): void {
  assertSafeAncestors('DATA_DIR', dir);
  const existed = fs.existsSync(dir);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existed) fs.chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask
  } catch (err) {
    throw new ConfigError(`DATA_DIR ${dir} cannot be created (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const st = fs.statSync(dir);
  if (!st.isDirectory()) throw new ConfigError(`DATA_DIR ${dir} is not a folder`);
  if (process.platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new ConfigError(
      `DATA_DIR ${dir} is owned by uid ${st.uid}, not by this user (uid ${uid}); refusing to start`,
    );
  }
  const mode = (st.mode & 0o777).toString(8);
  if ((st.mode & 0o022) !== 0) {
    throw new ConfigError(`DATA_DIR ${dir} is writable by other users (mode ${mode}); run chmod 700 on it`);
  }
  if ((st.mode & 0o077) !== 0) {
    warn(
      `DATA_DIR ${dir} is readable by other users (mode ${mode}); the database files in it are kept 0600, but run chmod 700 on it`,
    );
  }
  makeFilesPrivate(dbFile);
}

/**
 * The database file is created 0600 before SQLite opens it, since SQLite gives its -wal and
 * -shm the mode of the database file; files left by an older version are narrowed to 0600.
 * A symlink in their place is refused: it could point SQLite at someone else's file.
 */
function makeFilesPrivate(dbFile: string): void {
  for (const file of databaseFiles(dbFile)) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch {
      continue;
    }
    if (!st.isFile()) throw new ConfigError(`${file} is not a regular file; refusing to open it`);
    if ((st.mode & 0o777) !== 0o600) fs.chmodSync(file, 0o600);
  }
  if (!fs.existsSync(dbFile)) {
    fs.closeSync(fs.openSync(dbFile, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
    fs.chmodSync(dbFile, 0o600); // open's mode is filtered by the umask too
  }
}
