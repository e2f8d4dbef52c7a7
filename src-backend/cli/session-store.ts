import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failure } from './cli-error.js';

/** What `user login` keeps between commands. */
export interface SavedSession {
  readonly token: string;
  readonly username: string;
  /** ISO time after which the CLI treats the session as gone (12 h after login, the server's absolute limit) */
  readonly expiresAt: string;
  readonly savedAt: string;
  /** 'local' (Unix sockets) or the --url it was obtained from: a token is only sent back there */
  readonly target: string;
}

/**
 * A session ends 12 h after sign-in at the latest (SESSION_ABSOLUTE_HOURS' default), whatever
 * the seed's 24 h said: the CLI keeps it no longer than the server does. The server's own
 * expiry (idle time, a shorter setting, a logout) still wins: the next command then says
 * "session expired".
 */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;

export function sessionDir(env: NodeJS.ProcessEnv = process.env): string {
  // os.homedir() reads HOME on POSIX, so tests and sudo-less setups can move it.
  return path.join(env.HOME || os.homedir(), '.course_selection');
}

export function sessionFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(sessionDir(env), 'config.json');
}

/** `~/…` in messages so that the one line stays readable. */
export function displayPath(p: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || os.homedir();
  return home && p.startsWith(home + path.sep) ? `~${p.slice(home.length)}` : p;
}

/**
 * The session file holds a bearer token, so it is treated like an SSH key: 0600 in a 0700
 * folder, owned by us, never a symlink, and a copy that others can read is refused rather
 * than used, because the token may already have leaked.
 */
export class SessionStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  get file(): string {
    return sessionFile(this.env);
  }

  /** The saved session, or null when there is none. Throws a CliError on an unsafe file. */
  read(): SavedSession | null {
    const file = this.file;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw failure(`cannot read ${displayPath(file, this.env)}: ${(err as NodeJS.ErrnoException).code}`);
    }
    this.checkSafe(file, st);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      throw failure(`${displayPath(file, this.env)} is not valid JSON: run course-cli user login again`);
    }
    if (!isSavedSession(parsed)) {
      throw failure(`${displayPath(file, this.env)} is not a course-cli session: run course-cli user login again`);
    }
    return parsed;
  }

  /** Write atomically: a crash leaves the old file or the new one, never half of either. */
  write(session: SavedSession): void {
    const dir = sessionDir(this.env);
    this.ensureDir(dir);
    const file = this.file;
    const tmp = path.join(dir, `.config.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    let fd: number | undefined;
    try {
      // 'wx' + 0600: the token never exists on disk with wider rights, not even for a moment.
      fd = fs.openSync(tmp, 'wx', 0o600);
      fs.writeFileSync(fd, JSON.stringify(session, null, 2) + '\n');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, file);
      fsyncDir(dir);
    } catch (err) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw failure(
        `cannot save the session in ${displayPath(file, this.env)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }

  /** Forget the session; true when there was one. */
  clear(): boolean {
    try {
      fs.unlinkSync(this.file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw failure(`cannot remove ${displayPath(this.file, this.env)}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }

  private ensureDir(dir: string): void {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw failure(`cannot use ${displayPath(dir, this.env)}: ${(err as NodeJS.ErrnoException).code}`);
      }
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.chmodSync(dir, 0o700); // mkdir's mode passes through the umask
      } catch (mkErr) {
        throw failure(`cannot create ${displayPath(dir, this.env)}: ${(mkErr as NodeJS.ErrnoException).code}`);
      }
      return;
    }
    if (st.isSymbolicLink() || !st.isDirectory()) {
      throw failure(
        `${displayPath(dir, this.env)} is not a plain folder (symlink or file); remove it and log in again`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw failure(
        `${displayPath(dir, this.env)} belongs to another user (uid ${st.uid}); refusing to keep a session there`,
      );
    }
    // Our own folder with loose rights: tighten it rather than refuse, nothing secret is in it yet.
    if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  }

  private checkSafe(file: string, st: fs.Stats): void {
    const shown = displayPath(file, this.env);
    if (st.isSymbolicLink() || !st.isFile()) {
      throw failure(`${shown} is not a plain file (symlink?); refusing to use it: remove it and log in again`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw failure(`${shown} belongs to another user (uid ${st.uid}); refusing to use it`);
    }
    if ((st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
      throw failure(
        `${shown} is readable by other users (mode ${mode}); refusing to use it: run chmod 600 ${shown} or course-cli user login again`,
      );
    }
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a folder; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function isSavedSession(v: unknown): v is SavedSession {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.token === 'string' &&
    o.token.length > 0 &&
    typeof o.username === 'string' &&
    typeof o.expiresAt === 'string' &&
    !Number.isNaN(Date.parse(o.expiresAt)) &&
    typeof o.savedAt === 'string' &&
    typeof o.target === 'string'
  );
}
