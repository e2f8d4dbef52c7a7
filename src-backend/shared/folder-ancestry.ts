import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.js';

/**
 * Refuse a private folder (SOCKET_DIR, DATA_DIR, the code cache) that another local user could
 * swap: checking only the folder itself is not enough, since whoever can write to a folder
 * above it can rename it away and put their own in its place (a fake auth_node.sock would then
 * receive the internal token). Every folder above it must be owned by root or by us and not
 * writable by group or others, unless it has the sticky bit (like /tmp), which stops others
 * from renaming what is ours. Symlinks on the way are followed and their targets held to the
 * same rule. Folders that do not exist yet are skipped: we create them ourselves.
 *
 * @param label what the folder is (`SOCKET_DIR`), for the message
 */
export function assertSafeAncestors(label: string, dir: string): void {
  const problem = unsafeAncestor(label, dir);
  if (problem) throw new ConfigError(`${problem}; refusing to start`);
}

/** What is wrong with the folders above `dir` (one line naming the folder), or null. */
export function unsafeAncestor(label: string, dir: string): string | null {
  if (process.platform === 'win32') return null; // per-user ACLs, no POSIX modes to check
  const abs = path.resolve(dir);
  const uid = process.getuid?.() ?? 0;
  // The same rule for where the path really leads, when a symlink is on the way.
  const real = realpathOfDeepest(abs);
  return (
    checkChain(label, abs, path.dirname(abs), uid) ??
    (real && real !== abs ? checkChain(label, abs, path.dirname(real), uid) : null)
  );
}

function checkChain(label: string, dir: string, top: string, uid: number): string | null {
  for (const folder of foldersFromRoot(top)) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(folder);
    } catch {
      return null; // the rest does not exist yet (or cannot be read: creating it will say so)
    }
    const where = `${label} ${dir}: the folder ${folder} above it`;
    if (st.uid !== 0 && st.uid !== uid) {
      return `${where} is owned by uid ${st.uid}, not by root or this user (uid ${uid})`;
    }
    // A symlink's own mode means nothing; its target is checked through the real path.
    if (!st.isSymbolicLink() && (st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) {
      return `${where} is writable by other users (mode ${(st.mode & 0o7777).toString(8)}; run chmod go-w ${folder})`;
    }
  }
  return null;
}

/** '/', '/a', '/a/b' for '/a/b'. */
function foldersFromRoot(dir: string): string[] {
  const out: string[] = [];
  for (let p = dir; ; p = path.dirname(p)) {
    out.unshift(p);
    if (path.dirname(p) === p) return out;
  }
}

/** The real path of `abs`, or of its deepest part that exists, with the rest appended. */
function realpathOfDeepest(abs: string): string | null {
  const rest: string[] = [];
  for (let p = abs; ; p = path.dirname(p)) {
    try {
      return path.join(fs.realpathSync(p), ...rest);
    } catch {
      if (path.dirname(p) === p) return null;
      rest.unshift(path.basename(p));
    }
  }
}
